package org.strata.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.events.AuditRecord.Channels;
import org.strata.http.auth.CallerIdentity;

/**
 * The spool without Kafka (its address has nobody listening): records wait on disk, survive a
 * restart, and a full spool refuses the access or drops the record as configured (ADR 0035).
 */
class AuditSpoolTest {
  private static final CallerIdentity READER =
      new CallerIdentity("reader", Set.of("strata-reader"), Set.of("t1"), "10.0.0.5", null);

  @TempDir Path dir;

  @Test
  void fullSpoolRefusesTheAccessByDefaultAndKeepsWhatItHas() throws IOException {
    try (AuditLog log = AuditLog.open(settings(WhenSpoolFull.REFUSE, 2048))) {
      int kept = 0;
      AuditUnavailableException refused = null;
      while (refused == null && kept < 100) {
        try {
          log.record(qido());
          kept++;
        } catch (AuditUnavailableException e) {
          refused = e;
        }
      }
      assertTrue(refused != null, "a 2 KiB spool must fill up");
      assertTrue(kept > 0, "records fit before it is full");
      assertEquals(AuditUnavailableException.REASON, refused.getMessage());
      assertEquals(kept, log.pendingRecords());
      assertEquals(1, log.refused());
      assertThrows(AuditUnavailableException.class, () -> log.record(qido()));
    }
  }

  @Test
  void fullSpoolDropsWhenConfiguredSoAndCountsIt() throws IOException {
    try (AuditLog log = AuditLog.open(settings(WhenSpoolFull.DROP, 2048))) {
      for (int i = 0; i < 50; i++) {
        log.record(qido());
      }
      assertTrue(log.dropped() > 0, "records beyond the bound are dropped");
      assertEquals(50, log.pendingRecords() + log.dropped());
    }
  }

  @Test
  void spooledRecordsSurviveARestartAndATornLastRecordIsCut() throws IOException {
    try (AuditLog log = AuditLog.open(settings(WhenSpoolFull.REFUSE, 1 << 20))) {
      for (int i = 0; i < 7; i++) {
        log.record(qido());
      }
      assertEquals(7, log.pendingRecords());
    }
    // A crash in the middle of an append leaves a record without its newline.
    try (Stream<Path> files = Files.list(dir)) {
      Path segment = files.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
      Files.writeString(
          segment, "0000 {\"type\":\"Audit", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
    try (AuditLog log = AuditLog.open(settings(WhenSpoolFull.REFUSE, 1 << 20))) {
      assertEquals(7, log.pendingRecords());
      log.record(qido());
      assertEquals(8, log.pendingRecords());
    }
  }

  @Test
  void aSpoolInUseIsNotOpenedTwice() throws IOException {
    try (AuditLog log = AuditLog.open(settings(WhenSpoolFull.REFUSE, 1 << 20))) {
      log.record(qido());
      java.io.UncheckedIOException e =
          assertThrows(
              java.io.UncheckedIOException.class,
              () -> AuditLog.open(settings(WhenSpoolFull.REFUSE, 1 << 20)));
      assertTrue(e.getCause().getMessage().contains("in use"), e.getCause().getMessage());
    }
  }

  private AuditEntry qido() {
    return AuditEntry.query(READER, Channels.QIDO_RS)
        .query("PatientID=P1&StudyDate=20240101-")
        .study("1.2.3.4");
  }

  private AuditSettings settings(WhenSpoolFull whenFull, long maxBytes) throws IOException {
    return new AuditSettings(
        "strata-test", "local", "127.0.0.1:" + closedPort(), dir, maxBytes, 1024, whenFull, true);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort(); // closed again when returned: nobody listens there
    }
  }
}
