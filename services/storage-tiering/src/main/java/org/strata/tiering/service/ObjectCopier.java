package org.strata.tiering.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.strata.storage.ObjectStore;
import org.strata.storage.StorageException;

/**
 * Byte-level work of a move between two stores, possibly on two S3 servers: a streamed copy
 * (bounded memory whatever the size: the store uploads in parts) and a digest of what a store
 * holds.
 */
final class ObjectCopier {
  private ObjectCopier() {}

  /** What a store holds under a key: its size and SHA-256 as read back, or empty if nothing. */
  record Digest(long size, String sha256) {}

  /** Copies {@code key} from {@code source} to {@code target}; false if the source has none. */
  static boolean copy(ObjectStore source, ObjectStore target, String key)
      throws StorageException, IOException {
    Optional<ObjectStore.StoredObject> stat = source.stat(key);
    if (stat.isEmpty()) {
      return false;
    }
    try (InputStream in = source.get(key)) {
      target.put(key, in, contentType(key), stat.get().userMetadata());
    }
    return true;
  }

  /** Reads the object back whole and digests it; empty if the store has none under the key. */
  static Optional<Digest> digest(ObjectStore store, String key)
      throws StorageException, IOException {
    if (store.stat(key).isEmpty()) {
      return Optional.empty();
    }
    MessageDigest sha = sha256();
    long size;
    try (InputStream in = new DigestInputStream(store.get(key), sha)) {
      size = in.transferTo(OutputStream.nullOutputStream());
    }
    return Optional.of(new Digest(size, HexFormat.of().formatHex(sha.digest())));
  }

  private static String contentType(String key) {
    if (key.endsWith(".dcm")) {
      return "application/dicom";
    }
    return key.endsWith(".json") ? "application/json" : "application/octet-stream";
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
