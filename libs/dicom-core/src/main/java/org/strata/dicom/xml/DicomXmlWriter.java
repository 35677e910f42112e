package org.strata.dicom.xml;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.strata.dicom.Attributes;
import org.strata.dicom.BulkDataRef;
import org.strata.dicom.ByteSwap;
import org.strata.dicom.Fragments;
import org.strata.dicom.PersonName;
import org.strata.dicom.Sequence;
import org.strata.dicom.Tag;
import org.strata.dicom.Tags;
import org.strata.dicom.VR;
import org.strata.dicom.dict.ElementDictionary;

/**
 * Writes a data set in the Native DICOM Model of PS3.19 A.1 ({@code <NativeDicomModel>}), streaming
 * and without an XML library.
 *
 * <p>{@code <DicomAttribute tag="GGGGEEEE" vr="XX" keyword="...">} (keyword for public tags; {@code
 * privateCreator} on private data elements), {@code <Value number="n">} per value, {@code
 * <PersonName number="n">} with {@code <Alphabetic>}, {@code <Ideographic>}, {@code <Phonetic>} and
 * their {@code <FamilyName>}, {@code <GivenName>}, {@code <MiddleName>}, {@code <NamePrefix>},
 * {@code <NameSuffix>} (empty ones left out), {@code <Item number="n">} for sequence items, {@code
 * <InlineBinary>} (base64, little endian) for binary VRs, {@code <BulkData uri="...">} for {@link
 * BulkDataRef}s. Text is written as UTF-8 and (0008,0005) as "ISO_IR 192". Characters XML 1.0
 * cannot carry (control characters other than tab, LF, CR; lone surrogates; U+FFFE, U+FFFF) become
 * U+FFFD. Encapsulated pixel data is written as the encapsulated octet stream inline unless the
 * data set references it.
 */
public final class DicomXmlWriter implements Closeable {

  private static final String[] COMPONENTS = {
    "FamilyName", "GivenName", "MiddleName", "NamePrefix", "NameSuffix"
  };

  private final Writer out;
  private final ElementDictionary dictionary = ElementDictionary.standard();

  public DicomXmlWriter(Writer out) {
    this.out = out instanceof BufferedWriter ? out : new BufferedWriter(out, 64 * 1024);
  }

  public DicomXmlWriter(OutputStream out) {
    this(new OutputStreamWriter(out, StandardCharsets.UTF_8));
  }

  /** The XML text of one data set. */
  public static String toXml(Attributes dataset) {
    java.io.StringWriter s = new java.io.StringWriter();
    try (DicomXmlWriter w = new DicomXmlWriter(s)) {
      w.write(dataset);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return s.toString();
  }

  /** Writes the XML declaration and one {@code NativeDicomModel} element. */
  public void write(Attributes dataset) throws IOException {
    out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.write(
        "<NativeDicomModel xmlns=\"http://dicom.nema.org/PS3.19/models/NativeDICOM\""
            + " xml:space=\"preserve\">\n");
    writeAttributes(dataset);
    out.write("</NativeDicomModel>\n");
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  private void writeAttributes(Attributes ds) throws IOException {
    for (int i = 0; i < ds.size(); i++) {
      int tag = ds.tagAt(i);
      if (Tags.isGroupLength(tag)) {
        continue; // not part of the model, as in the JSON writer
      }
      VR vr = ds.vrAt(i);
      Object value = ds.valueAt(i);
      out.write("<DicomAttribute tag=\"");
      out.write(String.format("%08X", tag));
      out.write("\" vr=\"");
      out.write(vr.name());
      out.write('"');
      if (Tags.isPrivate(tag)) {
        if (!Tags.isPrivateCreator(tag)) {
          String creator = ds.getString(Tags.of(Tags.group(tag), (tag >> 8) & 0xFF));
          if (creator != null && (tag & 0xFF00) >= 0x1000) {
            out.write(" privateCreator=\"");
            out.write(escape(creator));
            out.write('"');
          }
        }
      } else {
        String keyword = dictionary.keywordOf(tag);
        if (keyword != null && !keyword.isEmpty()) {
          out.write(" keyword=\"");
          out.write(keyword);
          out.write('"');
        }
      }
      out.write('>');
      writeValue(ds, tag, vr, value);
      out.write("</DicomAttribute>\n");
    }
  }

  private void writeValue(Attributes ds, int tag, VR vr, Object value) throws IOException {
    if (value instanceof Sequence seq) {
      out.write('\n');
      for (int k = 0; k < seq.size(); k++) {
        out.write("<Item number=\"" + (k + 1) + "\">\n");
        writeAttributes(seq.get(k));
        out.write("</Item>\n");
      }
      return;
    }
    if (value instanceof BulkDataRef ref) {
      out.write("<BulkData uri=\"" + escape(ref.toString()) + "\"/>");
      return;
    }
    if (value instanceof Fragments f) {
      inline(f.encapsulatedStream());
      return;
    }
    if (value == null || ((byte[]) value).length == 0) {
      return;
    }
    byte[] bytes = (byte[]) value;
    switch (vr) {
      case OB, OD, OF, OL, OV, OW, UN -> {
        inline(ds.bigEndian() ? ByteSwap.swapped(bytes, vr.unitSize()) : bytes);
        return;
      }
      case PN -> {
        String[] names = ds.getStrings(tag);
        for (int k = 0; k < names.length; k++) {
          out.write("<PersonName number=\"" + (k + 1) + "\">");
          PersonName pn = PersonName.parse(names[k]);
          group("Alphabetic", pn.alphabetic());
          group("Ideographic", pn.ideographic());
          group("Phonetic", pn.phonetic());
          out.write("</PersonName>");
        }
        return;
      }
      default -> {}
    }
    String[] values;
    if (vr == VR.AT) {
      values =
          java.util.Arrays.stream(ds.getInts(tag))
              .mapToObj(t -> String.format("%08X", t))
              .toArray(String[]::new);
    } else if (vr == VR.UV) {
      values =
          java.util.Arrays.stream(ds.getLongs(tag))
              .mapToObj(Long::toUnsignedString)
              .toArray(String[]::new);
    } else if (vr == VR.FL) {
      values =
          java.util.Arrays.stream(ds.getDoubles(tag))
              .mapToObj(d -> Float.toString((float) d))
              .toArray(String[]::new);
    } else {
      values = ds.getStrings(tag);
      if (tag == Tag.SpecificCharacterSet && values.length > 0) {
        values = new String[] {"ISO_IR 192"};
      }
    }
    for (int k = 0; k < values.length; k++) {
      out.write("<Value number=\"" + (k + 1) + "\">");
      out.write(escape(values[k]));
      out.write("</Value>");
    }
  }

  private void group(String name, String[] components) throws IOException {
    boolean any = false;
    for (String c : components) {
      any |= !c.isEmpty();
    }
    if (!any) {
      return;
    }
    out.write("<" + name + ">");
    for (int k = 0; k < components.length; k++) {
      if (!components[k].isEmpty()) {
        out.write("<" + COMPONENTS[k] + ">" + escape(components[k]) + "</" + COMPONENTS[k] + ">");
      }
    }
    out.write("</" + name + ">");
  }

  private void inline(byte[] bytes) throws IOException {
    out.write("<InlineBinary>");
    out.write(Base64.getEncoder().encodeToString(bytes));
    out.write("</InlineBinary>");
  }

  /** Escapes markup characters and replaces characters XML 1.0 does not allow. */
  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\r' -> sb.append("&#13;");
        default -> {
          boolean ok =
              c == '\t'
                  || c == '\n'
                  || (c >= 0x20 && c < 0xD800)
                  || (c >= 0xE000 && c < 0xFFFE)
                  || (Character.isHighSurrogate(c)
                      && i + 1 < s.length()
                      && Character.isLowSurrogate(s.charAt(i + 1)));
          if (Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1))) {
            ok = true;
          }
          sb.append(ok ? c : '\uFFFD');
        }
      }
    }
    return sb.toString();
  }
}
