package org.strata.bench.routing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.strata.bench.chaos.ChaosInstances;

/**
 * What a {@code storescp} ({@code +B}, bit preserving: it writes the meta information, then the
 * data set as it arrives, into one file per C-STORE) has received so far: per SOP Instance UID,
 * when its first whole copy was delivered — the file's last modification, i.e. its last byte
 * written, which storescp does before it answers the C-STORE. A file is whole once it reaches the
 * end of its Pixel Data element (the last element of the benchmark's instances); files still being
 * written are looked at again on the next {@link #poll()}.
 */
final class Deliveries {
  private static final int PIXEL_DATA = 0x7FE00010;
  private static final long UNDEFINED_LENGTH = 0xFFFFFFFFL;
  private static final String IMPLICIT_LE = "1.2.840.10008.1.2";
  // The elements up to the Pixel Data header are far smaller than this.
  private static final int HEADER_BYTES = 16 * 1024;

  private final Path dir;
  private final Set<Path> whole = new HashSet<>();
  private final Map<String, Instant> first = new HashMap<>();
  private int extraCopies;

  Deliveries(Path dir) {
    this.dir = dir;
  }

  /** Looks at the files not yet seen whole; records the new whole ones. */
  synchronized void poll() throws IOException {
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (whole.contains(f)) {
          continue;
        }
        String sop = wholeCopyOf(f);
        if (sop != null) {
          whole.add(f);
          Instant at = Files.getLastModifiedTime(f).toInstant();
          Instant earlier = first.putIfAbsent(sop, at);
          if (earlier != null) {
            extraCopies++;
            if (at.isBefore(earlier)) {
              first.put(sop, at);
            }
          }
        }
      }
    }
  }

  /** When each instance's first whole copy was written, by SOP Instance UID. */
  synchronized Map<String, Instant> delivered() {
    return Map.copyOf(first);
  }

  synchronized boolean hasAll(Set<String> sops) {
    return first.keySet().containsAll(sops);
  }

  /** Whole copies beyond the first of an instance (routing delivers at least once). */
  synchronized int extraCopies() {
    return extraCopies;
  }

  /**
   * The Media Storage SOP Instance UID of a Part 10 file that ends exactly where its Pixel Data
   * element does, else null (still being written, or not such a file).
   */
  private static String wholeCopyOf(Path f) throws IOException {
    long size;
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES);
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
      size = ch.size();
      while (b.hasRemaining() && ch.read(b) > 0) {
        // read the head of the file
      }
    }
    return wholeCopyOf(Arrays.copyOf(b.array(), b.position()), size);
  }

  /** As above, from the first bytes of the file ({@code head}) and its size. */
  static String wholeCopyOf(byte[] head, long size) {
    String sop;
    String syntax;
    int pos;
    try {
      sop = ChaosInstances.mediaStorageSopInstanceUid(head);
      syntax = ChaosInstances.transferSyntaxUid(head);
      pos = ChaosInstances.datasetOffset(head);
    } catch (RuntimeException notYet) {
      return null; // the file meta information is not all written yet
    }
    if (sop == null || syntax == null) {
      return null;
    }
    boolean explicit = !IMPLICIT_LE.equals(syntax);
    ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
    while (pos + 12 <= head.length) {
      int tag = (b.getShort(pos) & 0xFFFF) << 16 | (b.getShort(pos + 2) & 0xFFFF);
      long valueOffset;
      long length;
      if (!explicit) {
        valueOffset = pos + 8L;
        length = Integer.toUnsignedLong(b.getInt(pos + 4));
      } else if (ChaosInstances.hasLongLength(
          new String(head, pos + 4, 2, StandardCharsets.US_ASCII))) {
        valueOffset = pos + 12L;
        length = Integer.toUnsignedLong(b.getInt(pos + 8));
      } else {
        valueOffset = pos + 8L;
        length = b.getShort(pos + 6) & 0xFFFF;
      }
      if (tag == PIXEL_DATA) {
        return valueOffset + length == size ? sop : null;
      }
      if (length == UNDEFINED_LENGTH) {
        return null; // no sequences of undefined length in the benchmark's instances
      }
      pos = (int) (valueOffset + length);
    }
    return null;
  }
}
