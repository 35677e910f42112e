package org.strata.testkit.audit;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.strata.events.AuditRecord;
import org.strata.events.Topics;
import org.strata.testkit.EventTopic;

/**
 * Reads {@code strata.audit.record} in tests: every record of the topic from the beginning, in a
 * consumer of its own (no group), so tests see what the audit service would.
 */
public final class AuditTopic {
  private final String bootstrap;

  public AuditTopic(String bootstrap) {
    this.bootstrap = bootstrap;
  }

  /**
   * The matching records once at least {@code expected} of them are on the topic, read up to the
   * topic's end at that moment (so a repeat sent before then is seen too); fails after {@code
   * ceiling} with what it found.
   */
  public List<AuditRecord> await(Predicate<AuditRecord> match, int expected, Duration ceiling) {
    long deadline = System.nanoTime() + ceiling.toNanos();
    List<AuditRecord> found = List.of();
    while (System.nanoTime() < deadline) {
      found = readAll(match);
      if (found.size() >= expected) {
        return found;
      }
      try {
        Thread.sleep(200); // polling a topic: the condition is re-checked, not a timed assertion
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError(
        "expected " + expected + " audit records within " + ceiling + ", found " + found);
  }

  /** Every matching record on the topic now. */
  public List<AuditRecord> readAll(Predicate<AuditRecord> match) {
    return new EventTopic<>(bootstrap, Topics.AUDIT_RECORD, AuditRecord.class).readAll(match);
  }
}
