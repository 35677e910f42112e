package org.strata.dicom.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.strata.dicom.Attributes;
import org.strata.dicom.Fragments;
import org.strata.dicom.Sequence;
import org.strata.dicom.VR;

/** Writes our parse as {@link DumpLine}s in dcmdump's value notation, for the comparison. */
final class OurDump {

  private OurDump() {}

  /**
   * @param utf8 whether dcmdump converted text to UTF-8: then charset-sensitive values are given as
   *     their UTF-8 bytes, else as the raw bytes
   */
  static List<DumpLine> lines(Attributes fmi, Attributes dataset, boolean utf8) {
    List<DumpLine> out = new ArrayList<>();
    if (fmi != null) {
      add(out, fmi, 0, utf8);
    }
    add(out, dataset, 0, utf8);
    return out;
  }

  private static void add(List<DumpLine> out, Attributes attrs, int depth, boolean utf8) {
    for (int i = 0; i < attrs.size(); i++) {
      int tagValue = attrs.tagAt(i);
      String tag = String.format("(%04x,%04x)", tagValue >>> 16, tagValue & 0xFFFF);
      VR vr = attrs.vrAt(i);
      Object value = attrs.valueAt(i);
      if (value instanceof Sequence seq) {
        out.add(new DumpLine(depth, tag, "SQ", "-", "#=" + seq.size()));
        for (Attributes item : seq) {
          out.add(new DumpLine(depth + 1, "(fffe,e000)", "na", "-", "#=" + item.size()));
          add(out, item, depth + 2, utf8);
        }
      } else if (value instanceof Fragments f) {
        out.add(new DumpLine(depth, tag, vr.name(), "u/l", "#=" + f.size()));
        for (int k = 0; k < f.size(); k++) {
          byte[] b = (byte[]) f.get(k);
          out.add(
              new DumpLine(
                  depth + 1, "(fffe,e000)", "pi", Integer.toString(b.length), hexBytes(b)));
        }
      } else {
        byte[] b = value == null ? new byte[0] : (byte[]) value;
        String text;
        if (vr.isString()) {
          text = string(attrs, vr, b, utf8);
        } else {
          text = binary(vr, b, attrs.bigEndian());
        }
        out.add(new DumpLine(depth, tag, vr.name(), Integer.toString(b.length), text));
      }
    }
  }

  /**
   * DCMTK strips trailing spaces from text and trailing NULs from UIDs only (a NUL-padded SH keeps
   * its NUL), and converts charset-sensitive text to UTF-8 in +U8 mode.
   */
  private static String string(Attributes attrs, VR vr, byte[] b, boolean utf8) {
    int end = b.length;
    while (end > 0 && (b[end - 1] == ' ' || (vr == VR.UI && b[end - 1] == 0))) {
      end--;
    }
    if (utf8 && vr.isCharsetSensitive()) {
      String decoded = attrs.specificCharacterSet().decode(b, 0, end);
      return new String(decoded.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }
    return new String(b, 0, end, StandardCharsets.ISO_8859_1);
  }

  static String binary(VR vr, byte[] b, boolean bigEndian) {
    ByteBuffer buf =
        ByteBuffer.wrap(b).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    List<String> values = new ArrayList<>();
    switch (vr) {
      case OB, UN -> {
        return hexBytes(b);
      }
      case OW -> {
        for (int k = 0; k + 2 <= b.length; k += 2) {
          values.add(String.format("%04x", buf.getShort(k) & 0xFFFF));
        }
      }
      case OL -> {
        for (int k = 0; k + 4 <= b.length; k += 4) {
          values.add(String.format("%08x", buf.getInt(k)));
        }
      }
      case OV -> {
        for (int k = 0; k + 8 <= b.length; k += 8) {
          values.add(String.format("%016x", buf.getLong(k)));
        }
      }
      case US -> {
        for (int k = 0; k + 2 <= b.length; k += 2) {
          values.add(Integer.toString(buf.getShort(k) & 0xFFFF));
        }
      }
      case SS -> {
        for (int k = 0; k + 2 <= b.length; k += 2) {
          values.add(Short.toString(buf.getShort(k)));
        }
      }
      case UL -> {
        for (int k = 0; k + 4 <= b.length; k += 4) {
          values.add(Integer.toUnsignedString(buf.getInt(k)));
        }
      }
      case SL -> {
        for (int k = 0; k + 4 <= b.length; k += 4) {
          values.add(Integer.toString(buf.getInt(k)));
        }
      }
      case UV -> {
        for (int k = 0; k + 8 <= b.length; k += 8) {
          values.add(Long.toUnsignedString(buf.getLong(k)));
        }
      }
      case SV -> {
        for (int k = 0; k + 8 <= b.length; k += 8) {
          values.add(Long.toString(buf.getLong(k)));
        }
      }
      case AT -> {
        for (int k = 0; k + 4 <= b.length; k += 4) {
          values.add(
              String.format("(%04x,%04x)", buf.getShort(k) & 0xFFFF, buf.getShort(k + 2) & 0xFFFF));
        }
      }
      case FL, OF -> {
        for (int k = 0; k + 4 <= b.length; k += 4) {
          values.add(Float.toString(buf.getFloat(k)));
        }
      }
      case FD, OD -> {
        for (int k = 0; k + 8 <= b.length; k += 8) {
          values.add(Double.toString(buf.getDouble(k)));
        }
      }
      default -> throw new IllegalArgumentException("not binary: " + vr);
    }
    return String.join("\\", values);
  }

  static String hexBytes(byte[] b) {
    StringBuilder sb = new StringBuilder(b.length * 3);
    for (int k = 0; k < b.length; k++) {
      if (k > 0) {
        sb.append('\\');
      }
      sb.append(Character.forDigit((b[k] >> 4) & 0xF, 16))
          .append(Character.forDigit(b[k] & 0xF, 16));
    }
    return sb.toString();
  }

  /** Floats compared as numbers: dcmdump prints them with its own precision rules. */
  static boolean sameNumbers(String vr, String ours, String theirs) {
    String[] a = ours.split("\\\\", -1);
    String[] b = theirs.split("\\\\", -1);
    if (a.length != b.length) {
      return false;
    }
    boolean single = vr.equals("FL") || vr.equals("OF");
    for (int k = 0; k < a.length; k++) {
      try {
        double x = Double.parseDouble(a[k]);
        double y = Double.parseDouble(b[k].replace("inf", "Infinity").replace("nan", "NaN"));
        // == on purpose: dcmdump prints -0.0 as 0; NaN equals NaN here.
        boolean same =
            (Double.isNaN(x) && Double.isNaN(y)) || (single ? (float) x == (float) y : x == y);
        if (!same) {
          return false;
        }
      } catch (NumberFormatException e) {
        return false;
      }
    }
    return Arrays.asList(a).size() == b.length;
  }
}
