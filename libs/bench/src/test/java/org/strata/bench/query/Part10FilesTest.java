package org.strata.bench.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated files as DCMTK's dcmdump reads them (an independent parser), in +P order. */
class Part10FilesTest {

  @Test
  void dcmdumpReadsTheAttributes(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/dcmdump")), "dcmtk not installed");
    StudyPopulation.Study study =
        new StudyPopulation.Study(
            5,
            "MRN0000002",
            "Yamada^Tarou=山田^太郎",
            "YAMADA TAROU 山田 太郎",
            LocalDate.of(1961, 2, 3),
            "F",
            "2.25.1234.5",
            LocalDate.of(2020, 7, 14),
            LocalTime.of(9, 30, 5),
            "A20200000005",
            "MR",
            "1.2.840.10008.5.1.4.1.1.4",
            "HEAD",
            2,
            "MR head",
            "Referrer^Dr5");
    Path file = dir.resolve("i.dcm");
    Files.write(file, Part10Files.instance(study, 2, 3, 2, 2, new byte[8]));
    Process p =
        new ProcessBuilder(
                "dcmdump",
                "-q",
                "+P",
                "0010,0010",
                "+P",
                "0020,000e",
                "+P",
                "0008,0018",
                "+P",
                "0008,0020",
                "+P",
                "0020,0013",
                "+P",
                "0028,0010",
                file.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(true, p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    List<String> values =
        out.lines().map(l -> l.substring(l.indexOf(' ', 14) + 1, l.indexOf('#')).trim()).toList();
    assertEquals(
        List.of(
            "[Yamada^Tarou=山田^太郎]",
            "[2.25.1234.5.2]",
            "[2.25.1234.5.2.3]",
            "[20200714]",
            "[3]",
            "2"),
        values,
        out);
  }
}
