package org.strata.dicom.net;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * What an SCU needs from a DICOM file to send it: the file meta information's SOP class, SOP
 * instance and transfer syntax UIDs, and the offset where the data set starts (after group 0002,
 * which is never sent over the network). Reads only the file meta information.
 */
public record Part10File(
    Path path,
    String sopClassUid,
    String sopInstanceUid,
    String transferSyntaxUid,
    long datasetOffset) {

  private static final Set<String> LONG_VRS =
      Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV");

  /** Largest file meta element value we read. */
  private static final int MAX_META_VALUE = 64 * 1024;

  /**
   * @throws IOException if the file has no file meta information or it lacks one of the UIDs
   */
  public static Part10File read(Path path) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 8192)) {
      in.mark(140);
      byte[] head = in.readNBytes(132);
      long pos;
      if (head.length == 132
          && head[128] == 'D'
          && head[129] == 'I'
          && head[130] == 'C'
          && head[131] == 'M') {
        pos = 132;
      } else if (head.length >= 2 && head[0] == 2 && head[1] == 0) {
        in.reset();
        pos = 0;
      } else {
        throw new IOException("not a DICOM file with file meta information: " + path.getFileName());
      }
      String sopClass = null;
      String sopInstance = null;
      String ts = null;
      while (true) {
        in.mark(8);
        byte[] h = in.readNBytes(8);
        if (h.length < 8) {
          break; // empty data set
        }
        int group = (h[0] & 0xFF) | ((h[1] & 0xFF) << 8);
        int element = (h[2] & 0xFF) | ((h[3] & 0xFF) << 8);
        if (group != 2) {
          in.reset();
          break;
        }
        String vr = new String(h, 4, 2, StandardCharsets.US_ASCII);
        long length;
        int headerLength;
        if (LONG_VRS.contains(vr)) {
          byte[] l = in.readNBytes(4);
          if (l.length < 4) {
            throw new IOException("truncated file meta information in " + path.getFileName());
          }
          length =
              (l[0] & 0xFFL)
                  | ((l[1] & 0xFFL) << 8)
                  | ((l[2] & 0xFFL) << 16)
                  | ((l[3] & 0xFFL) << 24);
          headerLength = 12;
        } else {
          length = (h[6] & 0xFF) | ((h[7] & 0xFF) << 8);
          headerLength = 8;
        }
        if (length > MAX_META_VALUE) {
          throw new IOException("file meta element too long in " + path.getFileName());
        }
        byte[] v = in.readNBytes((int) length);
        if (v.length < length) {
          throw new IOException("truncated file meta information in " + path.getFileName());
        }
        switch (element) {
          case 0x0002 -> sopClass = uid(v);
          case 0x0003 -> sopInstance = uid(v);
          case 0x0010 -> ts = uid(v);
          default -> {
            // other meta elements are not needed
          }
        }
        pos += headerLength + length;
      }
      if (sopClass == null || sopInstance == null || ts == null) {
        throw new IOException(
            "file meta information without SOP class, SOP instance or transfer syntax UID: "
                + path.getFileName());
      }
      return new Part10File(path, sopClass, sopInstance, ts, pos);
    }
  }

  /** Opens the file positioned at the data set. */
  public InputStream openDataset() throws IOException {
    InputStream in = Files.newInputStream(path);
    try {
      in.skipNBytes(datasetOffset);
    } catch (IOException e) {
      in.close();
      throw e;
    }
    return in;
  }

  private static String uid(byte[] v) {
    int end = v.length;
    while (end > 0 && (v[end - 1] == 0 || v[end - 1] == ' ')) {
      end--;
    }
    return new String(v, 0, end, StandardCharsets.US_ASCII).strip();
  }
}
