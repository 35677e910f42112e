package org.strata.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * DCMTK's findscu asking a Q/R SCP for studies (Study Root, STUDY level), its answers written as
 * files ({@code -X}) and read back by DCMTK's dcmdump: what an independent client finds, without
 * our parser as judge.
 */
public final class FindScu {
  private FindScu() {}

  /** findscu's exit code and log ({@code -v}), and the Study Instance UIDs answered, in order. */
  public record Answer(int exitCode, String output, List<String> studyUids) {}

  /**
   * Asks the SCP on 127.0.0.1:{@code port} for the studies matching {@code key} (e.g. {@code
   * PatientID=PAT-001}), as {@code callingAe}, with {@code tlsOptions} ({@link DimseTlsFixture}'s,
   * or none for plain TCP); the answers go to a new directory {@code dir}.
   */
  public static Answer studies(
      int port, String callingAe, String calledAe, List<String> tlsOptions, Path dir, String key)
      throws Exception {
    Files.createDirectories(dir);
    List<String> cmd =
        new ArrayList<>(List.of("findscu", "-v", "-S", "-aet", callingAe, "-aec", calledAe));
    cmd.addAll(tlsOptions);
    cmd.addAll(
        List.of(
            "-X",
            "-od",
            dir.toString(),
            "-k",
            "QueryRetrieveLevel=STUDY",
            "-k",
            "StudyInstanceUID",
            "-k",
            key,
            "127.0.0.1",
            String.valueOf(port)));
    DimseTlsFixture.Result r = DimseTlsFixture.dcmtk(cmd);
    return new Answer(r.exitCode(), r.output(), studyUids(dir));
  }

  /**
   * The Study Instance UIDs of the responses findscu -X wrote ({@code rsp0001.dcm}...), in order.
   */
  private static List<String> studyUids(Path dir) throws Exception {
    List<String> uids = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path rsp :
          files.filter(f -> f.getFileName().toString().startsWith("rsp")).sorted().toList()) {
        String uid = Dcmdump.top(Dcmdump.elements(rsp), "0020000d");
        assertFalse(uid.isEmpty(), "a response without the Study Instance UID asked for: " + rsp);
        uids.add(uid);
      }
    }
    return uids;
  }
}
