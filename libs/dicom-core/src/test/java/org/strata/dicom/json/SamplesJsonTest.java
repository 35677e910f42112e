package org.strata.dicom.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.strata.dicom.Attributes;
import org.strata.dicom.DicomParseException;
import org.strata.dicom.Fragments;
import org.strata.dicom.Sequence;
import org.strata.dicom.Tag;
import org.strata.dicom.Tags;
import org.strata.dicom.VR;
import org.strata.dicom.io.DicomInputStream;
import org.strata.dicom.io.ReadOptions;
import org.strata.dicom.xml.DicomXmlWriter;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Our DICOM JSON of every pydicom sample against DCMTK's {@code dcm2json -fc} (both parsed with
 * Jackson, compared attribute by attribute: same tags, VRs, values; numbers numerically, FL as
 * float; InlineBinary as decoded bytes), the JSON round trip through {@link DicomJsonReader}, and
 * the XML of every sample parsed by the JDK's XML parser.
 *
 * <p>Intended differences: (0008,0005)'s value is not compared (both write ISO_IR 192 after
 * converting text to UTF-8, but DCMTK keeps the original term where it cannot convert). Files
 * dcm2json refuses (encapsulated pixel data: "InlineBinary encoding not supported for compressed
 * pixel data"; 'nan' in FL/FD) are counted and skipped.
 */
class SamplesJsonTest {

  private static final Path ROOT = Path.of("/usr/lib/python3/dist-packages/pydicom/data");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> SAME = new ConcurrentSkipListSet<>();
  private static final Set<String> REFUSED = new ConcurrentSkipListSet<>();
  private static final Set<String> INVALID = new ConcurrentSkipListSet<>();

  static List<Path> samples() throws IOException {
    List<Path> out = new ArrayList<>();
    for (String d : List.of("test_files", "charset_files", "palettes")) {
      try (Stream<Path> s = Files.walk(ROOT.resolve(d))) {
        s.filter(Files::isRegularFile)
            .filter(
                p ->
                    Stream.of(".txt", ".json", ".gz", ".dump", ".md", ".py")
                        .noneMatch(e -> p.toString().endsWith(e)))
            .sorted()
            .forEach(out::add);
      }
    }
    return out;
  }

  static Attributes read(Path file) throws IOException {
    try (DicomInputStream in = DicomInputStream.open(file, ReadOptions.DEFAULTS)) {
      return in.readDataset();
    } catch (DicomParseException rejected) {
      return null;
    }
  }

  @TestFactory
  Stream<DynamicTest> everySampleMatchesDcm2json() throws IOException {
    assumeTrue(Files.isDirectory(ROOT.resolve("test_files")), "pydicom samples missing");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/dcm2json")), "dcm2json missing (dcmtk)");
    return samples().stream()
        .map(f -> DynamicTest.dynamicTest(ROOT.relativize(f).toString(), () -> checkJson(f)));
  }

  @TestFactory
  Stream<DynamicTest> everySampleRoundTripsThroughJson() throws IOException {
    assumeTrue(Files.isDirectory(ROOT.resolve("test_files")), "pydicom samples missing");
    return samples().stream()
        .map(f -> DynamicTest.dynamicTest(ROOT.relativize(f).toString(), () -> roundTrip(f)));
  }

  @TestFactory
  Stream<DynamicTest> everySampleGivesWellFormedXml() throws IOException {
    assumeTrue(Files.isDirectory(ROOT.resolve("test_files")), "pydicom samples missing");
    return samples().stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    ROOT.relativize(f).toString(),
                    () -> {
                      Attributes ds = read(f);
                      if (ds != null) {
                        xml(ds); // throws if not well-formed
                      }
                    }));
  }

  @AfterAll
  static void summary() {
    System.out.printf(
        "dcm2json comparison: %d files identical, %d refused by dcm2json (%s of them invalid"
            + " UTF-8): %s%n",
        SAME.size(), REFUSED.size(), INVALID, REFUSED);
  }

  private static void checkJson(Path file) throws Exception {
    Attributes ds = read(file);
    String name = ROOT.relativize(file).toString();
    JsonNode theirs = dcm2json(file);
    if (theirs == null) {
      REFUSED.add(name);
      return;
    }
    if (ds == null) {
      return; // rejected by our reader (DcmdumpComparisonTest covers these)
    }
    JsonNode ours = MAPPER.readTree(DicomJsonWriter.toJson(ds));
    List<String> diffs = new ArrayList<>();
    compare(ours, theirs, "", diffs);
    assertEquals(List.of(), diffs, name);
    SAME.add(name);
  }

  private static JsonNode dcm2json(Path file) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder("/usr/bin/dcm2json", "-q", "-fc", file.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    try (Stream<Path> dirs = Files.list(Path.of("/usr/share"))) {
      dirs.filter(d -> d.getFileName().toString().startsWith("libdcmtk"))
          .map(d -> d.resolve("dicom.dic"))
          .filter(Files::isRegularFile)
          .findFirst()
          .ifPresent(d -> pb.environment().put("DCMDICTPATH", d.toString()));
    }
    Process p = pb.start();
    byte[] out;
    try (InputStream in = p.getInputStream()) {
      out = in.readAllBytes();
    }
    if (p.waitFor() != 0) {
      return null;
    }
    try {
      return MAPPER.readTree(out);
    } catch (com.fasterxml.jackson.core.JsonParseException e) {
      // dcm2json leaves text it cannot convert in the source encoding: not UTF-8, not JSON.
      INVALID.add(file.getFileName().toString());
      return null;
    }
  }

  static void compare(JsonNode ours, JsonNode theirs, String path, List<String> diffs) {
    Set<String> a = new TreeSet<>();
    ours.fieldNames().forEachRemaining(a::add);
    Set<String> b = new TreeSet<>();
    theirs.fieldNames().forEachRemaining(b::add);
    if (!a.equals(b)) {
      Set<String> onlyOurs = new TreeSet<>(a);
      onlyOurs.removeAll(b);
      Set<String> onlyTheirs = new TreeSet<>(b);
      onlyTheirs.removeAll(a);
      diffs.add(path + " keys: only ours " + onlyOurs + ", only dcm2json " + onlyTheirs);
      return;
    }
    for (String key : a) {
      JsonNode x = ours.get(key);
      JsonNode y = theirs.get(key);
      String where = path + "/" + key;
      String vr = y.path("vr").asText();
      if (!x.path("vr").asText().equals(vr)) {
        diffs.add(where + " vr " + x.path("vr") + " vs " + y.path("vr"));
        continue;
      }
      if (key.equals("00080005")) {
        continue;
      }
      if (y.has("InlineBinary") || x.has("InlineBinary")) {
        byte[] bx = Base64.getDecoder().decode(x.path("InlineBinary").asText());
        byte[] by = Base64.getDecoder().decode(y.path("InlineBinary").asText());
        if (!Arrays.equals(bx, by)) {
          diffs.add(where + " InlineBinary " + bx.length + " vs " + by.length + " bytes");
        }
        continue;
      }
      JsonNode vx = x.get("Value");
      JsonNode vy = y.get("Value");
      if (vx == null || vy == null) {
        if (vx != vy) {
          diffs.add(where + " Value " + vx + " vs " + vy);
        }
        continue;
      }
      if (vx.size() != vy.size()) {
        diffs.add(where + " " + vx.size() + " values vs " + vy.size());
        continue;
      }
      for (int k = 0; k < vx.size(); k++) {
        JsonNode p = vx.get(k);
        JsonNode q = vy.get(k);
        if (vr.equals("SQ")) {
          compare(p, q, where + "[" + k + "]", diffs);
        } else if (p.isNumber() && q.isNumber()) {
          boolean same =
              vr.equals("FL")
                  ? (float) p.doubleValue() == (float) q.doubleValue()
                  : new BigDecimal(p.asText()).compareTo(new BigDecimal(q.asText())) == 0;
          if (!same) {
            diffs.add(where + "[" + k + "] " + p + " vs " + q);
          }
        } else if (!p.equals(q)) {
          diffs.add(where + "[" + k + "] " + p + " vs " + q);
        }
      }
    }
  }

  private static void roundTrip(Path file) throws Exception {
    Attributes ds = read(file);
    if (ds == null) {
      return;
    }
    String json = DicomJsonWriter.toJson(ds);
    Attributes back = DicomJsonReader.parse(json);
    List<String> diffs = new ArrayList<>();
    compareModel(ds, back, "", diffs);
    assertEquals(List.of(), diffs, ROOT.relativize(file).toString());
    // and the JSON of what was read back is the same text
    assertEquals(json, DicomJsonWriter.toJson(back));
  }

  /** Decoded values equal; binary as little endian bytes; encapsulated pixel data left out. */
  static void compareModel(Attributes a, Attributes b, String path, List<String> diffs) {
    int[] tags = Arrays.stream(a.tags()).filter(t -> !Tags.isGroupLength(t)).toArray();
    if (!Arrays.equals(tags, b.tags())) {
      diffs.add(path + " tags differ");
      return;
    }
    for (int tag : tags) {
      String where = path + Tags.toString(tag);
      VR vr = a.vr(tag);
      if (vr != b.vr(tag)) {
        diffs.add(where + " VR " + vr + " vs " + b.vr(tag));
        continue;
      }
      Object va = a.value(tag);
      if (va instanceof Fragments || tag == Tag.SpecificCharacterSet) {
        continue;
      }
      if (va instanceof Sequence s) {
        List<Attributes> t = b.getItems(tag);
        if (t.size() != s.size()) {
          diffs.add(where + " items " + s.size() + " vs " + t.size());
          continue;
        }
        for (int k = 0; k < s.size(); k++) {
          compareModel(s.get(k), t.get(k), where + "[" + k + "]", diffs);
        }
        continue;
      }
      boolean same =
          switch (vr) {
            case OB, OD, OF, OL, OV, OW, UN -> Arrays.equals(padded(le(a, tag)), le(b, tag));
            case FL, FD -> Arrays.equals(a.getDoubles(tag), b.getDoubles(tag));
            case US, SS, UL, SL, SV, UV, AT -> Arrays.equals(a.getLongs(tag), b.getLongs(tag));
            case DS, IS ->
                Arrays.equals(a.getDoubles(tag), b.getDoubles(tag))
                    && (a.getDoubles(tag).length > 0
                        || Arrays.equals(a.getStrings(tag), b.getStrings(tag)));
            case PN -> Arrays.equals(names(a, tag), names(b, tag));
            default -> Arrays.equals(a.getStrings(tag), b.getStrings(tag));
          };
      if (!same) {
        diffs.add(
            where
                + " "
                + vr
                + " "
                + Arrays.toString(a.getStrings(tag))
                + " vs "
                + Arrays.toString(b.getStrings(tag)));
      }
    }
  }

  private static String[] names(Attributes a, int tag) {
    String[] names =
        Arrays.stream(a.getStrings(tag))
            .map(
                s ->
                    String.join(
                        "=", Arrays.copyOf(s.split("=", -1), Math.min(3, s.split("=", -1).length))))
            .map(s -> s.replaceFirst("=+$", ""))
            .map(s -> s.replace("^", "").replace("=", "").isBlank() ? "" : s)
            .toArray(String[]::new);
    // A name of delimiters only ("^^^^") is no name: written without a value, as by DCMTK.
    return Arrays.stream(names).allMatch(String::isEmpty) ? new String[0] : names;
  }

  private static byte[] padded(byte[] b) {
    return b == null || b.length % 2 == 0 ? b : Arrays.copyOf(b, b.length + 1);
  }

  private static byte[] le(Attributes a, int tag) {
    byte[] b = a.getBytes(tag);
    if (b == null || !a.bigEndian()) {
      return b;
    }
    int unit = a.vr(tag).unitSize();
    byte[] out = b.clone();
    for (int p = 0; p + unit <= b.length; p += unit) {
      for (int k = 0; k < unit; k++) {
        out[p + k] = b[p + unit - 1 - k];
      }
    }
    return out;
  }

  static Document xml(Attributes ds) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder()
        .parse(new org.xml.sax.InputSource(new java.io.StringReader(DicomXmlWriter.toXml(ds))));
  }

  @Test
  void xmlOfCtSmallHasKnownValues() throws Exception {
    Path ct = ROOT.resolve("test_files/CT_small.dcm");
    assumeTrue(Files.isRegularFile(ct), "pydicom samples missing");
    Document doc = xml(read(ct));
    Element root = doc.getDocumentElement();
    assertEquals("NativeDicomModel", root.getLocalName());
    assertEquals("http://dicom.nema.org/PS3.19/models/NativeDICOM", root.getNamespaceURI());
    // Values as dcmdump shows them: PatientName [CompressedSamples^CT1], Rows 128,
    // PixelSpacing [0.661468\0.661468], (0009,10e7) UL 973283917 of creator GEMS_IDEN_01.
    Element pn = attribute(root, "00100010");
    assertEquals("PN", pn.getAttribute("vr"));
    assertEquals("PatientName", pn.getAttribute("keyword"));
    assertEquals("CompressedSamples", text(pn, "FamilyName"));
    assertEquals("CT1", text(pn, "GivenName"));
    assertEquals("128", text(attribute(root, "00280010"), "Value"));
    NodeList spacing = attribute(root, "00280030").getElementsByTagName("Value");
    assertEquals(2, spacing.getLength());
    assertEquals("2", ((Element) spacing.item(1)).getAttribute("number"));
    assertEquals("0.661468", spacing.item(1).getTextContent());
    Element priv = attribute(root, "000910E7");
    assertEquals("GEMS_IDEN_01", priv.getAttribute("privateCreator"));
    assertEquals("973283917", text(priv, "Value"));
    Element seq = attribute(root, "00101002");
    NodeList items = seq.getElementsByTagName("Item");
    assertEquals(2, items.getLength());
    assertEquals("1234ABCD", text(attribute((Element) items.item(1), "00100020"), "Value"));
    assertTrue(attribute(root, "7FE00010").getElementsByTagName("InlineBinary").getLength() == 1);
  }

  private static Element attribute(Element parent, String tag) {
    NodeList list = parent.getChildNodes();
    for (int i = 0; i < list.getLength(); i++) {
      if (list.item(i) instanceof Element e && tag.equals(e.getAttribute("tag"))) {
        return e;
      }
    }
    throw new AssertionError("no " + tag);
  }

  private static String text(Element e, String child) {
    return e.getElementsByTagName(child).item(0).getTextContent();
  }
}
