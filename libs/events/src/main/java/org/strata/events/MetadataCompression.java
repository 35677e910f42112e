package org.strata.events;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.Deflater;
import java.util.zip.InflaterInputStream;

/**
 * The compression of {@link InstanceStored#compressedMetadata()} (ADR 0045): zlib ({@link
 * Deflater}) at the default level, about a third of a CT header's DICOM JSON in ~50 µs. Readers
 * inflate it with {@link java.util.zip.Inflater}.
 */
public final class MetadataCompression {
  private MetadataCompression() {}

  /** {@code json} compressed; null when larger than an event carries. */
  public static byte[] compressForEvent(byte[] json) {
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
    try {
      deflater.setInput(json);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 3 + 64);
      byte[] buffer = new byte[8192];
      while (!deflater.finished()) {
        out.write(buffer, 0, deflater.deflate(buffer));
        if (out.size() > InstanceStored.MAX_COMPRESSED_METADATA) {
          return null;
        }
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  /**
   * The DICOM JSON of {@code compressed}; null when it inflates to more than {@code cap} bytes (a
   * reader's bound, whoever wrote the event).
   *
   * @throws IOException when {@code compressed} is not zlib data
   */
  public static byte[] inflate(byte[] compressed, int cap) throws IOException {
    try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(compressed))) {
      byte[] json = in.readNBytes(cap + 1);
      return json.length > cap ? null : json;
    }
  }
}
