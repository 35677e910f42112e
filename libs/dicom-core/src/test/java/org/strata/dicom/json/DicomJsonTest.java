package org.strata.dicom.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.strata.dicom.Attributes;
import org.strata.dicom.BulkDataRef;
import org.strata.dicom.DicomParseException;
import org.strata.dicom.Sequence;
import org.strata.dicom.Tag;
import org.strata.dicom.VR;

/** DICOM JSON rules of PS3.18 Annex F, with the expected text written out by hand. */
class DicomJsonTest {

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void stringsNumbersNamesAndTags() {
    Attributes ds = new Attributes();
    ds.set(Tag.ImageType, VR.CS, ascii("A\\\\B "));
    ds.set(Tag.StudyDate, VR.DA, null);
    ds.set(Tag.PatientName, VR.PN, ascii("Yamada^Tarou=X^Y=y^t\\^^="));
    ds.set(Tag.PatientComments, VR.LT, ascii("say \"hi\"\\\n\u0001 "));
    ds.set(Tag.SliceThickness, VR.DS, ascii("+1\\.5 \\1.\\007\\abc "));
    ds.set(Tag.InstanceNumber, VR.IS, ascii("+5\\x "));
    ds.set(Tag.Rows, VR.US, new byte[] {0, 2});
    ds.set(Tag.FrameIncrementPointer, VR.AT, new byte[] {0x18, 0, 0x63, 0x10});
    ds.set(0x00181320, VR.FL, new byte[] {0, 0, (byte) 0xC0, 0x7F}); // NaN
    String expected =
        "{\"00080008\":{\"vr\":\"CS\",\"Value\":[\"A\",null,\"B\"]},"
            + "\"00080020\":{\"vr\":\"DA\"},"
            + "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Yamada^Tarou\","
            + "\"Ideographic\":\"X^Y\",\"Phonetic\":\"y^t\"},null]},"
            + "\"00104000\":{\"vr\":\"LT\",\"Value\":[\"say \\\"hi\\\"\\\\\\n\\u0001\"]},"
            + "\"00180050\":{\"vr\":\"DS\",\"Value\":[1,0.5,1.0,7,\"abc\"]},"
            + "\"00181320\":{\"vr\":\"FL\",\"Value\":[\"NaN\"]},"
            + "\"00200013\":{\"vr\":\"IS\",\"Value\":[5,\"x\"]},"
            + "\"00280009\":{\"vr\":\"AT\",\"Value\":[\"00181063\"]},"
            + "\"00280010\":{\"vr\":\"US\",\"Value\":[512]}}";
    assertEquals(expected, DicomJsonWriter.toJson(ds));
  }

  @Test
  void sequencesBinaryAndBulkData() throws Exception {
    Attributes ds = new Attributes();
    Sequence seq = ds.newSequence(Tag.ReferencedImageSequence);
    seq.addItem().setString(Tag.ReferencedSOPInstanceUID, VR.UI, "1.2");
    ds.newSequence(Tag.ReferencedStudySequence); // empty
    ds.set(Tag.PixelData, VR.OW, new byte[] {1, 2, 3, 4, 5, 6});
    ds.set(Tag.OverlayData, VR.OW, new BulkDataRef("file:/x.dcm", 10, 4));
    assertEquals(
        "{\"00081110\":{\"vr\":\"SQ\"},"
            + "\"00081140\":{\"vr\":\"SQ\",\"Value\":[{\"00081155\":{\"vr\":\"UI\",\"Value\":[\"1.2\"]}}]},"
            + "\"60003000\":{\"vr\":\"OW\",\"BulkDataURI\":\"file:/x.dcm?offset=10&length=4\"},"
            + "\"7FE00010\":{\"vr\":\"OW\",\"InlineBinary\":\"AQIDBAUG\"}}",
        DicomJsonWriter.toJson(ds));
    StringWriter s = new StringWriter();
    List<String> asked = new ArrayList<>();
    try (DicomJsonWriter w =
        new DicomJsonWriter(
            s,
            4,
            (path, vr, value) -> {
              asked.add(String.format("%08X", path[path.length - 1]));
              return "https://x/bulk/" + asked.size();
            })) {
      w.startArray();
      w.write(ds);
      w.write(new Attributes());
      w.endArray();
    }
    assertEquals(
        "[{\"00081110\":{\"vr\":\"SQ\"},"
            + "\"00081140\":{\"vr\":\"SQ\",\"Value\":[{\"00081155\":{\"vr\":\"UI\",\"Value\":[\"1.2\"]}}]},"
            + "\"60003000\":{\"vr\":\"OW\",\"BulkDataURI\":\"https://x/bulk/1\"},"
            + "\"7FE00010\":{\"vr\":\"OW\",\"BulkDataURI\":\"https://x/bulk/2\"}},{}]",
        s.toString());
    assertEquals(List.of("60003000", "7FE00010"), asked);
  }

  @Test
  void readerBuildsTheModel() {
    Attributes ds =
        DicomJsonReader.parse(
            "{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"D\\u00f6e^J\"},null]},"
                + " \"00280010\": {\"vr\":\"US\",\"Value\":[512]},"
                + "\"00280009\":{\"vr\":\"AT\",\"Value\":[\"00181063\"]},"
                + "\"00180050\":{\"vr\":\"DS\",\"Value\":[1.50,\"abc\"]},"
                + "\"00081140\":{\"vr\":\"SQ\",\"Value\":[{\"00081155\":{\"vr\":\"UI\",\"Value\":[\"1.2\"]}}]},"
                + "\"7FE00010\":{\"vr\":\"OB\",\"InlineBinary\":\"AQID\"},"
                + "\"60003000\":{\"vr\":\"OW\",\"BulkDataURI\":\"file:/x?offset=10&length=4\"}}");
    assertArrayEquals("Döe^J\\ ".getBytes(StandardCharsets.UTF_8), ds.getBytes(Tag.PatientName));
    assertEquals("ISO_IR 192", ds.getString(Tag.SpecificCharacterSet));
    assertEquals("Döe^J", ds.getString(Tag.PatientName));
    assertArrayEquals(new byte[] {0, 2}, ds.getBytes(Tag.Rows));
    assertArrayEquals(new byte[] {0x18, 0, 0x63, 0x10}, ds.getBytes(Tag.FrameIncrementPointer));
    assertArrayEquals(ascii("1.50\\abc"), ds.getBytes(Tag.SliceThickness));
    assertEquals(
        "1.2",
        ds.getItems(Tag.ReferencedImageSequence).get(0).getString(Tag.ReferencedSOPInstanceUID));
    assertArrayEquals(new byte[] {1, 2, 3}, ds.getBytes(Tag.PixelData));
    assertEquals(new BulkDataRef("file:/x", 10, 4), ds.getBulkData(Tag.OverlayData));
  }

  @Test
  void malformedOrHostileJsonIsAParseError() {
    for (String bad :
        new String[] {
          "",
          "{",
          "{\"0010\":{}}",
          "{\"00100010\":{\"vr\":\"XX\"}}",
          "[1]",
          "{} x",
          "{\"00100010\":{\"vr\":\"PN\",\"Value\":\"x\"}}",
          "{\"a\":01}",
          "{\"a\":\"\\q\"}",
          "{\"00280010\":{\"vr\":\"US\",\"Value\":[\"x\"]}}",
          "{\"a\":tru}"
        }) {
      assertThrows(DicomParseException.class, () -> DicomJsonReader.parse(bad), bad);
    }
    String deep = "[".repeat(100) + "]".repeat(100);
    DicomJsonReader r =
        new DicomJsonReader(new StringReader(deep), new DicomJsonReader.Limits(50, 100, 1000));
    assertThrows(DicomParseException.class, r::readDataset);
    DicomJsonReader longString =
        new DicomJsonReader(
            new StringReader("{\"" + "a".repeat(200) + "\":1}"),
            new DicomJsonReader.Limits(50, 100, 1000));
    assertThrows(DicomParseException.class, longString::readDataset);
    DicomJsonReader tooMuch =
        new DicomJsonReader(
            new StringReader("{" + " ".repeat(2000) + "}"),
            new DicomJsonReader.Limits(50, 100, 1000));
    assertThrows(DicomParseException.class, tooMuch::readDataset);
  }

  @Test
  void jsonNumberGrammar() {
    for (String ok : new String[] {"0", "-0", "1.5", "1E3", "1e-3", "-12.5E+2"}) {
      assertEquals(true, DicomJsonWriter.isJsonNumber(ok), ok);
    }
    for (String no : new String[] {"", "+1", "01", "1.", ".5", "1e", "NaN", "1f", "--1"}) {
      assertEquals(false, DicomJsonWriter.isJsonNumber(no), no);
    }
  }
}
