package org.strata.query.wado;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.strata.query.config.QueryConfig;

/**
 * A bounded read-through cache of recently read stored objects in files on local disk, so a study
 * read again (a viewer reopening it, another reader) comes at disk speed instead of one S3 GET per
 * instance through the object store's CPU (ADR 0058).
 *
 * <p>An entry is keyed by the index's current location of the instance <em>and</em> its {@code
 * storedEventId}, which changes whenever the instance is stored anew, also under the same object
 * key: a replaced version is never served, since its successor has another key, and a deleted
 * instance is never looked up, since lookups start from the index's row. Files are written whole
 * and only then entered, so a reader never sees a partial one; they live in a directory of this
 * process that is emptied when it stops, so nothing survives a restart.
 */
@ApplicationScoped
public class ObjectCache {
  private static final Logger LOG = Logger.getLogger(ObjectCache.class);

  private final Path dir;
  private final ByteBoundedLru<String, Path> files;
  private final AtomicLong names = new AtomicLong();

  @Inject
  public ObjectCache(QueryConfig config) {
    this(
        config.wado().objectCacheSize().asLongValue(),
        config.wado().objectCacheDir().map(Path::of).orElse(null));
  }

  /** A cache of at most {@code maxBytes} (0: none) in a new directory under {@code parent}. */
  ObjectCache(long maxBytes, Path parent) {
    Path d = null;
    if (maxBytes > 0) {
      try {
        d =
            parent == null
                ? Files.createTempDirectory("strata-query-objects-")
                : Files.createTempDirectory(
                    Files.createDirectories(parent), "strata-query-objects-");
      } catch (IOException e) {
        throw new UncheckedIOException("object cache directory not writable", e);
      }
    }
    this.dir = d;
    this.files = new ByteBoundedLru<>(maxBytes, ObjectCache::sizeOf, ObjectCache::delete);
  }

  /** The key of {@code i}'s stored object as the index says it is now, or null if uncacheable. */
  static String key(StoredInstance i) {
    if (i.storedEventId() == null || i.objectKey() == null || i.bucket() == null) {
      return null;
    }
    return i.bucket() + '\0' + i.objectKey() + '\0' + i.storedEventId() + '\0' + i.size();
  }

  /** The cached object of {@code i}, opened; empty on a miss. */
  public Optional<InputStream> open(StoredInstance i) throws IOException {
    String key = key(i);
    if (dir == null || key == null) {
      return Optional.empty();
    }
    Path file = files.get(key);
    if (file == null) {
      return Optional.empty();
    }
    try {
      // Once open, the file stays readable even if evicted (deleted) meanwhile.
      return Optional.of(Files.newInputStream(file));
    } catch (NoSuchFileException e) {
      return Optional.empty(); // evicted between the lookup and the open
    }
  }

  /**
   * Bytes {@code offset} to {@code offset + length - 1} of {@code i}'s cached object (a frame);
   * empty on a miss.
   */
  public Optional<InputStream> openRange(StoredInstance i, long offset, long length)
      throws IOException {
    if (offset < 0 || length < 0 || offset + length > i.size()) {
      return Optional.empty();
    }
    Optional<InputStream> in = open(i);
    if (in.isPresent()) {
      in.get().skipNBytes(offset); // a file: skip is a seek
      return Optional.of(new BoundedInput(in.get(), length));
    }
    return in;
  }

  /** Whether {@code i}'s object would be kept: the cache is on and the instance has a version. */
  public boolean accepts(StoredInstance i) {
    return dir != null && key(i) != null;
  }

  /** Whether {@code i}'s object is cached, without counting a hit or touching its recency. */
  public boolean contains(StoredInstance i) {
    String key = key(i);
    return dir != null && key != null && files.peek(key);
  }

  /**
   * Keeps {@code bytes} as {@code i}'s object when they are all of it (as many as the index says);
   * a failure to write only means no entry.
   */
  public void keep(StoredInstance i, byte[] bytes) {
    String key = key(i);
    if (dir == null || key == null || bytes.length != i.size()) {
      return;
    }
    Path file = dir.resolve(Long.toString(names.incrementAndGet()));
    try {
      Files.write(file, bytes);
    } catch (IOException e) {
      LOG.debugf("object cache: not written: %s", e.getMessage());
      delete(file);
      return;
    }
    files.put(key, file);
  }

  /**
   * Keeps the object read from {@code in} as {@code i}'s when it has exactly as many bytes as the
   * index says, written to its file as it arrives rather than held in memory first (ADR 0075). A
   * failure to read is thrown; a failure to write only means no entry.
   */
  public void keep(StoredInstance i, InputStream in) throws IOException {
    String key = key(i);
    if (dir == null || key == null) {
      return;
    }
    Path file = dir.resolve(Long.toString(names.incrementAndGet()));
    boolean whole = false;
    try {
      whole = copy(in, file, i.size());
    } finally {
      if (!whole) {
        delete(file);
      }
    }
    if (whole) {
      files.put(key, file);
    }
  }

  /** Whether {@code in} had exactly {@code size} bytes, all written to {@code file}. */
  private static boolean copy(InputStream in, Path file, long size) throws IOException {
    OutputStream out;
    try {
      out = Files.newOutputStream(file);
    } catch (IOException e) {
      LOG.debugf("object cache: not written: %s", e.getMessage());
      return false;
    }
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    boolean written = true;
    try {
      for (int n; written && (n = in.read(buffer)) > 0; ) { // a read failure is the caller's
        total += n;
        if (total > size) {
          return false;
        }
        try {
          out.write(buffer, 0, n);
        } catch (IOException e) {
          LOG.debugf("object cache: not written: %s", e.getMessage());
          written = false;
        }
      }
    } finally {
      try {
        out.close();
      } catch (IOException e) {
        written = false;
      }
    }
    return written && total == size;
  }

  long bytes() {
    return files.bytes();
  }

  long hits() {
    return files.hits();
  }

  @PreDestroy
  void stop() {
    if (dir == null) {
      return;
    }
    try (var listing = Files.list(dir)) {
      listing.forEach(ObjectCache::delete);
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      LOG.debugf("object cache: directory not removed: %s", e.getMessage());
    }
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.debugf("object cache: file not deleted: %s", e.getMessage());
    }
  }
}
