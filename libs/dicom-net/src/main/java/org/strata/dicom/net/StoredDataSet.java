package org.strata.dicom.net;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;

/**
 * The data set of a stored Part 10 object as a stream: the preamble, {@code DICM} and the file meta
 * group (0002,xxxx, always explicit VR little endian) are skipped element by element, the rest is
 * passed on as stored (no parsing, no transcoding). What a C-STORE SCU sends of an archived object
 * (query's C-MOVE and C-GET, routing).
 */
public final class StoredDataSet {
  private StoredDataSet() {}

  /** {@code object} past its file meta information; closing the result closes {@code object}. */
  public static InputStream open(InputStream object) throws IOException {
    PushbackInputStream in = new PushbackInputStream(new BufferedInputStream(object, 65536), 4);
    try {
      byte[] head = in.readNBytes(132);
      if (head.length != 132
          || head[128] != 'D'
          || head[129] != 'I'
          || head[130] != 'C'
          || head[131] != 'M') {
        throw new IOException("stored object is not a Part 10 file");
      }
      while (true) {
        byte[] tag = in.readNBytes(4);
        if (tag.length < 4) {
          if (tag.length > 0) {
            throw new EOFException("stored object ends inside a tag");
          }
          return in; // no data set at all
        }
        int group = (tag[0] & 0xFF) | (tag[1] & 0xFF) << 8;
        if (group != 0x0002) {
          in.unread(tag);
          return in;
        }
        byte[] vr = readFully(in, 2);
        long length;
        if (longVr(vr)) {
          readFully(in, 2);
          byte[] l = readFully(in, 4);
          length =
              (l[0] & 0xFFL) | (l[1] & 0xFFL) << 8 | (l[2] & 0xFFL) << 16 | (l[3] & 0xFFL) << 24;
          if (length == 0xFFFFFFFFL) {
            throw new IOException("undefined length in the file meta information");
          }
        } else {
          byte[] l = readFully(in, 2);
          length = (l[0] & 0xFF) | (l[1] & 0xFF) << 8;
        }
        in.skipNBytes(length);
      }
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  private static boolean longVr(byte[] vr) {
    String v = new String(vr, java.nio.charset.StandardCharsets.US_ASCII);
    return switch (v) {
      case "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV" -> true;
      default -> false;
    };
  }

  private static byte[] readFully(InputStream in, int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length != n) {
      throw new EOFException("stored object ends inside its file meta information");
    }
    return b;
  }
}
