package org.strata.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.strata.dicom.io.DicomInputStream;

/**
 * Patient names of pydicom's charset_files, as their FileInfo.txt documents them (bytes there,
 * written out here as the characters those bytes are in the declared character sets). This covers
 * the ISO 2022 files that dcmdump cannot convert (DCMTK's iconv lacks ISO 2022 IR 87).
 */
class CharsetFilesTest {

  private static final Path DIR =
      Path.of("/usr/lib/python3/dist-packages/pydicom/data/charset_files");

  private static final String JAPANESE = "山田^太郎=やまだ^たろう";

  static final Map<String, String> NAMES =
      Map.ofEntries(
          Map.entry("chrArab.dcm", "قباني^لنزار"),
          Map.entry("chrFren.dcm", "Buc^Jérôme"),
          Map.entry("chrFrenMulti.dcm", "Buc^Jérôme"),
          Map.entry("chrGerm.dcm", "Äneas^Rüdiger"),
          Map.entry("chrGreek.dcm", "Διονυσιος"),
          Map.entry("chrH31.dcm", "Yamada^Tarou=" + JAPANESE),
          Map.entry("chrH32.dcm", "ﾔﾏﾀﾞ^ﾀﾛｳ=" + JAPANESE),
          Map.entry("chrHbrw.dcm", "שרון^דבורה"),
          Map.entry("chrI2.dcm", "Hong^Gildong=洪^吉洞=홍^길동"),
          Map.entry("chrJapMulti.dcm", "やまだ^たろう"),
          Map.entry("chrJapMultiExplicitIR6.dcm", "やまだ^たろう"),
          Map.entry("chrKoreanMulti.dcm", "김희중"),
          // The file mixes Cyrillic with the ASCII letters c, e, y, p.
          Map.entry("chrRuss.dcm", "Люк" + "ce" + "мб" + "yp" + "г"),
          Map.entry("chrX1.dcm", "Wang^XiaoDong=王^小東="),
          Map.entry("chrX2.dcm", "Wang^XiaoDong=王^小东="));

  @TestFactory
  Stream<DynamicTest> patientNames() {
    assumeTrue(
        Files.isDirectory(DIR), "pydicom charset_files missing: apt-get install python3-pydicom");
    return NAMES.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(
            e ->
                DynamicTest.dynamicTest(
                    e.getKey(),
                    () -> {
                      Attributes ds = DicomInputStream.readFile(DIR.resolve(e.getKey()));
                      assertEquals(e.getValue(), ds.getString(Tag.PatientName));
                    }));
  }

  @TestFactory
  Stream<DynamicTest> itemsUseTheirOwnOrTheInheritedCharacterSet() {
    assumeTrue(
        Files.isDirectory(DIR), "pydicom charset_files missing: apt-get install python3-pydicom");
    // chrSQEncoding: data set in UTF-8, the item declares ISO 2022 IR 13\ISO 2022 IR 87.
    // chrSQEncoding1: the data set declares it, the item inherits it.
    return Stream.of("chrSQEncoding.dcm", "chrSQEncoding1.dcm")
        .map(
            name ->
                DynamicTest.dynamicTest(
                    name,
                    () -> {
                      Attributes ds = DicomInputStream.readFile(DIR.resolve(name));
                      Attributes item = ds.getItems(Tag.RequestedProcedureCodeSequence).get(0);
                      assertEquals("ﾔﾏﾀﾞ^ﾀﾛｳ=" + JAPANESE, item.getString(Tag.PatientName));
                      PersonName pn = item.getPersonName(Tag.PatientName);
                      assertEquals("ﾔﾏﾀﾞ", pn.familyName());
                      assertEquals("山田^太郎", pn.ideographicText());
                      assertEquals("やまだ^たろう", pn.phoneticText());
                    }));
  }
}
