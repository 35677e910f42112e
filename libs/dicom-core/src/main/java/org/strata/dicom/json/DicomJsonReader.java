package org.strata.dicom.json;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.strata.dicom.Attributes;
import org.strata.dicom.BulkDataRef;
import org.strata.dicom.DicomParseException;
import org.strata.dicom.Sequence;
import org.strata.dicom.Tag;
import org.strata.dicom.VR;

/**
 * Reads the DICOM JSON Model (PS3.18 Annex F) into {@link Attributes}, with a small hand-written
 * JSON parser (RFC 8259) that enforces limits on nesting, string length and total input, so hostile
 * input costs bounded memory. Malformed JSON or DICOM JSON ends in {@link DicomParseException}
 * (offset = character position).
 *
 * <p>Text values become UTF-8 bytes and (0008,0005) becomes "ISO_IR 192" where present; a data set
 * with non-ASCII text and no (0008,0005) gets one. IS and DS keep the text of the JSON number.
 * BulkDataURI values become {@link BulkDataRef}s: offset and length from its {@code offset=} and
 * {@code length=} query parameters when present (the form {@link BulkDataRef#toString()} writes),
 * else 0 and 0 (unknown, to be resolved through the URI).
 *
 * <p>A top-level array is read one data set at a time ({@link #forEach}).
 */
public final class DicomJsonReader {

  /** Limits: deepest nesting of JSON arrays/objects, longest string, total characters. */
  public record Limits(int maxDepth, int maxStringLength, long maxChars) {
    public static final Limits DEFAULTS = new Limits(200, 256 << 20, Long.MAX_VALUE);
  }

  private static final Object NULL = new Object();

  /** A JSON number kept as its text. */
  private record Num(String text) {}

  private final Reader in;
  private final Limits limits;
  private final char[] buf = new char[8192];
  private int pos;
  private int len;
  private long consumed;

  public DicomJsonReader(Reader in) {
    this(in, Limits.DEFAULTS);
  }

  public DicomJsonReader(Reader in, Limits limits) {
    this.in = in;
    this.limits = limits;
  }

  /** Parses a JSON text holding one data set (an object). */
  public static Attributes parse(String json) {
    try {
      return new DicomJsonReader(new java.io.StringReader(json)).readDataset();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Reads one data set: the input must be an object (or an array of exactly one). */
  public Attributes readDataset() throws IOException {
    List<Attributes> all = new ArrayList<>();
    forEach(all::add);
    if (all.size() != 1) {
      throw new DicomParseException(consumed, "expected one data set, found " + all.size());
    }
    return all.get(0);
  }

  /** Reads an object or an array of objects, handing each data set over as soon as it is read. */
  public void forEach(Consumer<Attributes> sink) throws IOException {
    int c = skipWs();
    if (c == '[') {
      next();
      if (skipWs() == ']') {
        next();
      } else {
        while (true) {
          sink.accept(toDataset(expectObject(parseValue(1)), null));
          int d = skipWs();
          next();
          if (d == ']') {
            break;
          }
          if (d != ',') {
            throw error("expected , or ] in the array of data sets");
          }
        }
      }
    } else {
      sink.accept(toDataset(expectObject(parseValue(0)), null));
    }
    if (skipWs() != -1) {
      throw error("unexpected text after the JSON value");
    }
  }

  // ---------------------------------------------------------------- DICOM JSON -> Attributes

  private Attributes toDataset(Map<String, Object> json, Attributes parent) {
    Attributes ds = new Attributes(false, parent);
    fill(ds, json);
    return ds;
  }

  private void fill(Attributes ds, Map<String, Object> json) {
    Attributes parent = ds.parent();
    boolean nonAscii = false;
    for (Map.Entry<String, Object> e : json.entrySet()) {
      int tag = parseTag(e.getKey());
      Map<String, Object> attr = expectObject(e.getValue());
      VR vr = VR.ofName(attr.get("vr") instanceof String s ? s : null);
      if (vr == null) {
        throw error("missing or unknown vr for " + e.getKey());
      }
      Object value = attr.get("Value");
      Object inline = attr.get("InlineBinary");
      Object uri = attr.get("BulkDataURI");
      if (uri instanceof String u) {
        ds.set(tag, vr, bulkData(u));
      } else if (inline instanceof String b64) {
        try {
          ds.set(tag, vr, emptyToNull(Base64.getDecoder().decode(b64)));
        } catch (IllegalArgumentException bad) {
          throw error("bad base64 in " + e.getKey());
        }
      } else if (value == null || value == NULL) {
        ds.set(tag, vr, null);
      } else if (!(value instanceof List<?> list)) {
        throw error("Value of " + e.getKey() + " is not an array");
      } else if (vr == VR.SQ) {
        Sequence seq = new Sequence(ds);
        ds.set(tag, VR.SQ, seq);
        for (Object item : list) {
          fill(seq.addItem(), expectObject(item));
        }
      } else {
        byte[] bytes = encode(vr, list, e.getKey());
        nonAscii |= vr.isString() && !isAscii(bytes);
        ds.set(tag, vr, emptyToNull(bytes));
      }
    }
    if (ds.getBytes(Tag.SpecificCharacterSet) != null
        && ds.getBytes(Tag.SpecificCharacterSet).length > 0) {
      ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
    } else if (nonAscii && parent == null) {
      ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
    }
  }

  private static byte[] emptyToNull(byte[] b) {
    return b.length == 0 ? null : b;
  }

  private static boolean isAscii(byte[] b) {
    for (byte x : b) {
      if (x < 0) {
        return false;
      }
    }
    return true;
  }

  private static BulkDataRef bulkData(String uri) {
    long offset = 0;
    long length = 0;
    int q = uri.indexOf('?');
    if (q >= 0) {
      for (String p : uri.substring(q + 1).split("&")) {
        try {
          if (p.startsWith("offset=")) {
            offset = Long.parseLong(p.substring(7));
          } else if (p.startsWith("length=")) {
            length = Long.parseLong(p.substring(7));
          }
        } catch (NumberFormatException ignored) {
          // not our form: keep 0
        }
      }
    }
    return new BulkDataRef(
        uri.substring(0, q < 0 ? uri.length() : q), Math.max(0, offset), Math.max(0, length));
  }

  private byte[] encode(VR vr, List<?> values, String key) {
    ByteBuffer buf;
    switch (vr) {
      case US, SS -> buf = ByteBuffer.allocate(2 * values.size());
      case UL, SL, FL, AT -> buf = ByteBuffer.allocate(4 * values.size());
      case FD, SV, UV -> buf = ByteBuffer.allocate(8 * values.size());
      default -> buf = null;
    }
    if (buf != null) {
      buf.order(ByteOrder.LITTLE_ENDIAN);
      for (Object v : values) {
        try {
          switch (vr) {
            case US, SS -> buf.putShort((short) Long.parseLong(numberText(v, key)));
            case UL, SL -> buf.putInt((int) Long.parseLong(numberText(v, key)));
            case SV -> buf.putLong(Long.parseLong(numberText(v, key)));
            case UV -> buf.putLong(Long.parseUnsignedLong(numberText(v, key)));
            case FL -> buf.putFloat(Float.parseFloat(numberText(v, key)));
            case FD -> buf.putDouble(Double.parseDouble(numberText(v, key)));
            case AT -> {
              int t = parseTag(v instanceof String s ? s : "");
              buf.putShort((short) (t >>> 16)).putShort((short) t);
            }
            default -> throw new IllegalStateException();
          }
        } catch (NumberFormatException ex) {
          throw error("bad number " + v + " in " + key);
        }
      }
      return buf.array();
    }
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < values.size(); k++) {
      if (k > 0) {
        sb.append('\\');
      }
      Object v = values.get(k);
      if (v == NULL) {
        continue;
      }
      if (vr == VR.PN && v instanceof Map<?, ?> pn) {
        String[] groups = new String[3];
        String[] names = {"Alphabetic", "Ideographic", "Phonetic"};
        for (int g = 0; g < 3; g++) {
          groups[g] = pn.get(names[g]) instanceof String s ? s : "";
        }
        String joined = groups[0] + "=" + groups[1] + "=" + groups[2];
        sb.append(joined.replaceFirst("=+$", ""));
      } else if (v instanceof String s) {
        sb.append(s);
      } else if (v instanceof Num n) {
        sb.append(n.text());
      } else {
        throw error("unexpected value " + v + " in " + key);
      }
    }
    byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
    if ((bytes.length & 1) != 0) {
      bytes = java.util.Arrays.copyOf(bytes, bytes.length + 1);
      bytes[bytes.length - 1] = (byte) vr.paddingByte();
    }
    return bytes;
  }

  private String numberText(Object v, String key) {
    if (v instanceof Num n) {
      return n.text();
    }
    if (v instanceof String s) {
      return s; // NaN, Infinity, large SV/UV written as strings
    }
    throw error("expected a number in " + key + ", found " + v);
  }

  private int parseTag(String key) {
    if (key.length() != 8) {
      throw error("not a tag: " + key);
    }
    try {
      return (int) Long.parseLong(key, 16);
    } catch (NumberFormatException e) {
      throw error("not a tag: " + key);
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> expectObject(Object o) {
    if (o instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw error("expected an object");
  }

  // ---------------------------------------------------------------- JSON

  private Object parseValue(int depth) throws IOException {
    if (depth > limits.maxDepth()) {
      throw error("nesting deeper than " + limits.maxDepth());
    }
    int c = skipWs();
    switch (c) {
      case '{' -> {
        next();
        Map<String, Object> map = new LinkedHashMap<>();
        if (skipWs() == '}') {
          next();
          return map;
        }
        while (true) {
          if (skipWs() != '"') {
            throw error("expected a member name");
          }
          String key = parseString();
          if (skipWs() != ':') {
            throw error("expected :");
          }
          next();
          map.put(key, parseValue(depth + 1));
          int d = skipWs();
          next();
          if (d == '}') {
            return map;
          }
          if (d != ',') {
            throw error("expected , or }");
          }
        }
      }
      case '[' -> {
        next();
        List<Object> list = new ArrayList<>();
        if (skipWs() == ']') {
          next();
          return list;
        }
        while (true) {
          list.add(parseValue(depth + 1));
          int d = skipWs();
          next();
          if (d == ']') {
            return list;
          }
          if (d != ',') {
            throw error("expected , or ]");
          }
        }
      }
      case '"' -> {
        return parseString();
      }
      case 't' -> {
        literal("true");
        return Boolean.TRUE;
      }
      case 'f' -> {
        literal("false");
        return Boolean.FALSE;
      }
      case 'n' -> {
        literal("null");
        return NULL;
      }
      case -1 -> throw error("unexpected end of input");
      default -> {
        return parseNumber();
      }
    }
  }

  private void literal(String word) throws IOException {
    for (int i = 0; i < word.length(); i++) {
      if (peek() != word.charAt(i)) {
        throw error("bad literal, expected " + word);
      }
      next();
    }
  }

  private Num parseNumber() throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = peek()) != -1
        && (c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' || (c >= '0' && c <= '9'))) {
      if (sb.length() > 64) {
        throw error("number too long");
      }
      sb.append((char) c);
      next();
    }
    String s = sb.toString();
    if (!DicomJsonWriter.isJsonNumber(s)) {
      throw error("bad number '" + s + "'");
    }
    return new Num(s);
  }

  private String parseString() throws IOException {
    next(); // opening quote
    StringBuilder sb = new StringBuilder();
    while (true) {
      int c = peek();
      if (c == -1) {
        throw error("unterminated string");
      }
      next();
      if (c == '"') {
        return sb.toString();
      }
      if (sb.length() >= limits.maxStringLength()) {
        throw error("string longer than " + limits.maxStringLength());
      }
      if (c < 0x20) {
        throw error("control character in a string");
      }
      if (c != '\\') {
        sb.append((char) c);
        continue;
      }
      int e = peek();
      next();
      switch (e) {
        case '"' -> sb.append('"');
        case '\\' -> sb.append('\\');
        case '/' -> sb.append('/');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          int v = 0;
          for (int k = 0; k < 4; k++) {
            int h = Character.digit(peek(), 16);
            if (peek() == -1 || h < 0) {
              throw error("bad \\u escape");
            }
            next();
            v = (v << 4) | h;
          }
          sb.append((char) v);
        }
        default -> throw error("bad escape");
      }
    }
  }

  private int skipWs() throws IOException {
    int c;
    while ((c = peek()) == ' ' || c == '\t' || c == '\n' || c == '\r') {
      next();
    }
    return c;
  }

  private int peek() throws IOException {
    if (pos == len) {
      if (len == -1) {
        return -1;
      }
      len = in.read(buf, 0, buf.length);
      pos = 0;
      if (len <= 0) {
        len = -1;
        pos = -1;
        return -1;
      }
    }
    return buf[pos];
  }

  private void next() throws IOException {
    if (peek() != -1) {
      pos++;
      if (++consumed > limits.maxChars()) {
        throw error("input longer than " + limits.maxChars() + " characters");
      }
    }
  }

  private DicomParseException error(String reason) {
    return new DicomParseException(consumed, reason);
  }
}
