package org.strata.dicom.json;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.strata.dicom.Attributes;
import org.strata.dicom.BulkDataRef;
import org.strata.dicom.ByteSwap;
import org.strata.dicom.Fragments;
import org.strata.dicom.Sequence;
import org.strata.dicom.Tag;
import org.strata.dicom.Tags;
import org.strata.dicom.VR;

/**
 * Writes data sets in the DICOM JSON Model (PS3.18 Annex F), streaming, without a JSON library.
 *
 * <p>Each attribute is {@code "GGGGEEEE": {"vr": "XX", "Value": [...]}} with the tag in upper-case
 * hex, attributes in tag order. Text is decoded with the Specific Character Set in force and
 * written as UTF-8, so (0008,0005) is written as {@code "ISO_IR 192"} (as DCMTK's dcm2json does).
 * Empty values have no "Value"; empty components of a multi-valued string are {@code null}. PN
 * values are objects with Alphabetic, Ideographic and Phonetic groups (empty groups left out, a
 * fourth group dropped). AT values are 8-hex-digit strings. IS and DS values are JSON numbers: a
 * value that is already a valid JSON number is written verbatim, one that Java reads as a finite
 * number is normalised ("+1" to 1, ".5" to 0.5, "1." to 1.0, "007" to 7), anything else is kept as
 * a JSON string (DCMTK does the same, but writes "1." verbatim, which is not valid JSON). FL/FD NaN
 * and infinities, which JSON numbers cannot carry, are written as the strings "NaN", "Infinity",
 * "-Infinity" (dcm2json refuses them unless -ee). SV/UV beyond ±2^53 are strings (a JavaScript
 * number would lose digits).
 *
 * <p>Binary VRs (OB, OD, OF, OL, OV, OW, UN) are InlineBinary (base64 of the little endian bytes)
 * or BulkDataURI: for every {@link BulkDataRef} value and for values longer than the threshold, the
 * callback gives the URI (a null answer keeps the value inline; without a callback a reference is
 * written as its own {@code uri?offset=&length=} form). Encapsulated pixel data ({@link Fragments})
 * goes to the callback whatever its size; if that gives null it is written inline as the
 * encapsulated octet stream (items and delimiter, little endian), which dcm2json refuses to do.
 */
public final class DicomJsonWriter implements Closeable {

  /** Gives the BulkDataURI of a value, or null to write it inline. */
  @FunctionalInterface
  public interface BulkDataUris {
    /**
     * @param path tags from the top-level data set to this attribute (sequence items are not
     *     numbered)
     * @param vr its VR
     * @param value a byte[], {@link BulkDataRef} or {@link Fragments}
     */
    String uri(int[] path, VR vr, Object value);
  }

  private static final long MAX_SAFE_INTEGER = 1L << 53;

  private final Writer out;
  private final long bulkDataThreshold;
  private final BulkDataUris uris;
  private final int[] path = new int[128];
  private int depth;
  private boolean inArray;
  private boolean firstInArray;

  /** Everything inline except {@link BulkDataRef} values. */
  public DicomJsonWriter(Writer out) {
    this(out, -1, null);
  }

  /**
   * @param bulkDataThreshold binary values longer than this go to {@code uris}; -1 for none
   * @param uris the URI callback, or null
   */
  public DicomJsonWriter(Writer out, long bulkDataThreshold, BulkDataUris uris) {
    this.out = out instanceof BufferedWriter ? out : new BufferedWriter(out, 64 * 1024);
    this.bulkDataThreshold = bulkDataThreshold;
    this.uris = uris;
  }

  /** UTF-8 onto {@code out}. */
  public DicomJsonWriter(OutputStream out, long bulkDataThreshold, BulkDataUris uris) {
    this(new OutputStreamWriter(out, StandardCharsets.UTF_8), bulkDataThreshold, uris);
  }

  /** Writes one data set as a JSON object (or, between start and end, an element of the array). */
  public void write(Attributes dataset) throws IOException {
    if (inArray) {
      if (!firstInArray) {
        out.write(',');
      }
      firstInArray = false;
    }
    writeObject(dataset);
  }

  /** Starts a JSON array of data sets (a QIDO-RS / WADO-RS metadata response). */
  public void startArray() throws IOException {
    out.write('[');
    inArray = true;
    firstInArray = true;
  }

  public void endArray() throws IOException {
    out.write(']');
    inArray = false;
  }

  /** Flushes the buffered text (the target stays open). */
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  /** The JSON text of one data set. */
  public static String toJson(Attributes dataset) {
    java.io.StringWriter s = new java.io.StringWriter();
    try (DicomJsonWriter w = new DicomJsonWriter(s)) {
      w.write(dataset);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return s.toString();
  }

  private void writeObject(Attributes ds) throws IOException {
    out.write('{');
    boolean first = true;
    for (int i = 0; i < ds.size(); i++) {
      int tag = ds.tagAt(i);
      if (Tags.isGroupLength(tag)) {
        continue; // not part of the JSON model (DCMTK leaves them out too)
      }
      if (!first) {
        out.write(',');
      }
      first = false;
      path[depth] = tag;
      depth++;
      try {
        writeAttribute(ds, tag, ds.vrAt(i), ds.valueAt(i));
      } finally {
        depth--;
      }
    }
    out.write('}');
  }

  private void writeAttribute(Attributes ds, int tag, VR vr, Object value) throws IOException {
    out.write('"');
    hex8(tag);
    out.write("\":{\"vr\":\"");
    out.write(vr.name());
    out.write('"');
    if (value instanceof Sequence seq) {
      if (!seq.isEmpty()) {
        out.write(",\"Value\":[");
        for (int k = 0; k < seq.size(); k++) {
          if (k > 0) {
            out.write(',');
          }
          writeObject(seq.get(k));
        }
        out.write(']');
      }
    } else if (value instanceof Fragments || value instanceof BulkDataRef) {
      String uri = uris == null ? null : uris.uri(java.util.Arrays.copyOf(path, depth), vr, value);
      if (uri == null && value instanceof BulkDataRef ref) {
        uri = ref.toString();
      }
      if (uri != null) {
        out.write(",\"BulkDataURI\":");
        string(uri);
      } else {
        inline(((Fragments) value).encapsulatedStream());
      }
    } else if (value != null && ((byte[]) value).length > 0) {
      writeValue(ds, tag, vr, (byte[]) value);
    }
    out.write('}');
  }

  private void writeValue(Attributes ds, int tag, VR vr, byte[] bytes) throws IOException {
    switch (vr) {
      case OB, OD, OF, OL, OV, OW, UN -> {
        String uri =
            uris != null && bulkDataThreshold >= 0 && bytes.length > bulkDataThreshold
                ? uris.uri(java.util.Arrays.copyOf(path, depth), vr, bytes)
                : null;
        if (uri != null) {
          out.write(",\"BulkDataURI\":");
          string(uri);
        } else {
          byte[] le = ds.bigEndian() ? ByteSwap.swapped(bytes, vr.unitSize()) : bytes;
          // Odd values are padded as they would be encoded (as DCMTK does).
          inline((le.length & 1) == 0 ? le : java.util.Arrays.copyOf(le, le.length + 1));
        }
        return;
      }
      default -> {}
    }
    List<String> values = new ArrayList<>();
    switch (vr) {
      case AT -> {
        for (int t : ds.getInts(tag)) {
          values.add(String.format("\"%08X\"", t));
        }
      }
      case US, SS, UL, SL -> {
        for (long v : ds.getLongs(tag)) {
          values.add(Long.toString(v));
        }
      }
      case SV, UV -> {
        for (long v : ds.getLongs(tag)) {
          String s = vr == VR.UV ? Long.toUnsignedString(v) : Long.toString(v);
          boolean safe =
              vr == VR.UV
                  ? Long.compareUnsigned(v, MAX_SAFE_INTEGER) <= 0
                  : Math.abs(v) <= MAX_SAFE_INTEGER;
          values.add(safe ? s : quote(s));
        }
      }
      case FL, FD -> {
        for (double d : ds.getDoubles(tag)) {
          if (Double.isNaN(d) || Double.isInfinite(d)) {
            values.add(quote(Double.toString(d)));
          } else {
            values.add(vr == VR.FL ? Float.toString((float) d) : Double.toString(d));
          }
        }
      }
      case IS, DS -> {
        for (String s : ds.getStrings(tag)) {
          values.add(s.isEmpty() ? "null" : number(s, vr == VR.IS));
        }
      }
      case PN -> {
        boolean any = false;
        for (String s : ds.getStrings(tag)) {
          String v = personName(s);
          any |= !v.equals("null");
          values.add(v);
        }
        if (!any) {
          values.clear(); // only delimiters ("^^^^"): no value, as DCMTK
        }
      }
      default -> {
        String[] strings = ds.getStrings(tag);
        if (tag == Tag.SpecificCharacterSet && strings.length > 0) {
          strings = new String[] {"ISO_IR 192"};
        }
        for (String s : strings) {
          values.add(s.isEmpty() ? "null" : quote(s));
        }
      }
    }
    if (values.isEmpty()) {
      return;
    }
    out.write(",\"Value\":[");
    for (int k = 0; k < values.size(); k++) {
      if (k > 0) {
        out.write(',');
      }
      out.write(values.get(k));
    }
    out.write(']');
  }

  private void inline(byte[] bytes) throws IOException {
    out.write(",\"InlineBinary\":\"");
    out.write(Base64.getEncoder().encodeToString(bytes));
    out.write('"');
  }

  /** An IS or DS value as a JSON number when it is one, else as a string. */
  static String number(String s, boolean integer) {
    if (integer) {
      try {
        return Long.toString(Long.parseLong(s.startsWith("+") ? s.substring(1) : s));
      } catch (NumberFormatException e) {
        return quote(s);
      }
    }
    if (isJsonNumber(s)) {
      return s;
    }
    String t = s.startsWith("+") ? s.substring(1) : s;
    try {
      double d = Double.parseDouble(t);
      if (Double.isNaN(d)
          || Double.isInfinite(d)
          || t.endsWith("f")
          || t.endsWith("d")
          || t.endsWith("F")
          || t.endsWith("D")) {
        return quote(s);
      }
    } catch (NumberFormatException e) {
      return quote(s);
    }
    // Fix the forms Java accepts and JSON does not: ".5", "-.5", "1.", "1.e3", "007".
    String sign = t.startsWith("-") ? "-" : "";
    String body = sign.isEmpty() ? t : t.substring(1);
    int e = Math.max(body.indexOf('e'), body.indexOf('E'));
    String mantissa = e < 0 ? body : body.substring(0, e);
    String exponent = e < 0 ? "" : body.substring(e);
    int dot = mantissa.indexOf('.');
    String intPart = dot < 0 ? mantissa : mantissa.substring(0, dot);
    String frac = dot < 0 ? null : mantissa.substring(dot + 1);
    intPart = intPart.replaceFirst("^0+(?=.)", "");
    if (intPart.isEmpty()) {
      intPart = "0";
    }
    String fixed = sign + intPart + (frac == null ? "" : "." + (frac.isEmpty() ? "0" : frac));
    if (!exponent.isEmpty()) {
      String exp = exponent.substring(1);
      fixed += "E" + (exp.startsWith("+") ? exp.substring(1) : exp);
    }
    return isJsonNumber(fixed) ? fixed : quote(s);
  }

  /** RFC 8259 number grammar. */
  static boolean isJsonNumber(String s) {
    int i = 0;
    int n = s.length();
    if (i < n && s.charAt(i) == '-') {
      i++;
    }
    if (i >= n) {
      return false;
    }
    if (s.charAt(i) == '0') {
      i++;
    } else if (s.charAt(i) >= '1' && s.charAt(i) <= '9') {
      while (i < n && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
        i++;
      }
    } else {
      return false;
    }
    if (i < n && s.charAt(i) == '.') {
      i++;
      int start = i;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      if (i == start) {
        return false;
      }
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int start = i;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      if (i == start) {
        return false;
      }
    }
    return i == n;
  }

  private static String personName(String value) {
    if (value.replace("^", "").replace("=", "").isBlank()) {
      return "null";
    }
    String[] groups = value.split("=", -1);
    String[] names = {"Alphabetic", "Ideographic", "Phonetic"};
    StringBuilder sb = new StringBuilder("{");
    boolean first = true;
    for (int g = 0; g < Math.min(3, groups.length); g++) {
      if (groups[g].replace("^", "").isBlank()) {
        continue;
      }
      if (!first) {
        sb.append(',');
      }
      first = false;
      sb.append('"').append(names[g]).append("\":").append(quote(groups[g]));
    }
    return sb.append('}').toString();
  }

  private void hex8(int tag) throws IOException {
    for (int shift = 28; shift >= 0; shift -= 4) {
      out.write(Character.toUpperCase(Character.forDigit((tag >>> shift) & 0xF, 16)));
    }
  }

  private void string(String s) throws IOException {
    out.write(quote(s));
  }

  /** A JSON string literal: quote, backslash and control characters escaped (RFC 8259 7). */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20
              || c == 0x2028
              || c == 0x2029
              || Character.isSurrogate(c) && !validSurrogate(s, i)) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /** A lone surrogate would make invalid UTF-8: escaped instead. */
  private static boolean validSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
