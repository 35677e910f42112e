package org.strata.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.audit.chain.OfflineVerifier;
import org.strata.audit.chain.SigningKeys;
import org.strata.audit.chain.VerificationReport;
import org.strata.testkit.PlatformTestResource;

/**
 * GET /audit/export and the offline verifier: the export of a clean chain verifies with the
 * service's public key, an edited or missing line is named; records of tenants the auditor may not
 * see are in it without their content and the chain still verifies.
 */
@QuarkusTest
@TestProfile(AuditTestProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres,keycloak"))
class ExportTest extends AuditTestSupport {
  private static final Path PUBLIC_KEY = Path.of("target/audit/checkpoint-key.pem.pub");

  @TempDir Path dir;

  @Test
  void anExportVerifiesOfflineAndNamesTheFirstBrokenLine() throws Exception {
    AuditRecordMother visible = new AuditRecordMother();
    AuditRecordMother other = new AuditRecordMother();
    other.tenant = "hospital-b";
    List<org.strata.events.AuditRecord> records = new ArrayList<>(visible.build(2));
    records.add(other.build());
    records.add(visible.build());
    long last = publishAndAwait(records);

    Path export = dir.resolve("export.ndjson");
    byte[] body = asAuditor().get("/audit/export").then().statusCode(200).extract().asByteArray();
    Files.write(export, body);
    String text = new String(body, StandardCharsets.UTF_8);
    assertTrue(text.contains(visible.patientId), "the auditor's tenant's records are in full");
    assertFalse(text.contains(other.patientId), "another tenant's record must not be readable");

    PublicKey key = SigningKeys.publicKey(Files.readAllBytes(PUBLIC_KEY));
    VerificationReport clean = OfflineVerifier.verify(export, key);
    assertTrue(clean.valid(), OfflineVerifier.describe(clean));
    assertTrue(clean.records() >= last, OfflineVerifier.describe(clean));

    List<String> lines = Files.readAllLines(export);
    int line = lineOf(lines, "\"seq\":" + (last - 3) + ",");
    Path edited = dir.resolve("edited.ndjson");
    List<String> editedLines = new ArrayList<>(lines);
    editedLines.set(
        line,
        lines.get(line).replace("\\\"actor\\\":\\\"reader\\\"", "\\\"actor\\\":\\\"nobody\\\""));
    assertFalse(editedLines.equals(lines), "the edit must change the line");
    Files.write(edited, editedLines);
    VerificationReport broken = OfflineVerifier.verify(edited, key);
    assertEquals(
        VerificationReport.Kind.EDITED,
        broken.firstBreak().kind(),
        OfflineVerifier.describe(broken));
    assertEquals(last - 3, broken.firstBreak().seq());

    Path missing = dir.resolve("missing.ndjson");
    List<String> missingLines = new ArrayList<>(lines);
    missingLines.remove(lineOf(lines, "\"seq\":" + (last - 1) + ","));
    Files.write(missing, missingLines);
    VerificationReport gap = OfflineVerifier.verify(missing, key);
    assertEquals(
        VerificationReport.Kind.MISSING, gap.firstBreak().kind(), OfflineVerifier.describe(gap));
    assertEquals(last - 1, gap.firstBreak().seq());

    assertEquals(0, runMain(export.toString(), "--public-key", PUBLIC_KEY.toString()));
    assertEquals(1, runMain(missing.toString(), "--public-key", PUBLIC_KEY.toString()));
  }

  @Test
  void anExportWhoseCheckpointsAnotherKeySignedIsRefused() throws Exception {
    publishAndAwait(new AuditRecordMother().build(6));
    Path export = dir.resolve("export.ndjson");
    Files.write(
        export, asAuditor().get("/audit/export").then().statusCode(200).extract().asByteArray());
    PublicKey stranger = SigningKeys.generate().getPublic();
    VerificationReport report = OfflineVerifier.verify(export, stranger);
    assertEquals(VerificationReport.Kind.UNKNOWN_KEY, report.firstBreak().kind());
  }

  private static int lineOf(List<String> lines, String marker) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(marker)) {
        return i;
      }
    }
    throw new AssertionError("no line with " + marker);
  }

  private static int runMain(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    return OfflineVerifier.run(args, new PrintStream(out), new PrintStream(out));
  }
}
