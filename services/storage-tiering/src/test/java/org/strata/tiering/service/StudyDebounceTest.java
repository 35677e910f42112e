package org.strata.tiering.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The debounce of indexed studies, on a clock of the test's own (no waiting). */
class StudyDebounceTest {
  private static final Instant T0 = Instant.parse("2026-12-07T20:00:00Z");
  private static final StudyDebounce.Study A = new StudyDebounce.Study("t", "1.2.3");
  private static final StudyDebounce.Study B = new StudyDebounce.Study("t", "1.2.4");

  @Test
  void aThousandCommitsOfAStudyWithinTheDebounceAreOneEvaluation() {
    StudyDebounce debounce = new StudyDebounce(Duration.ofSeconds(60), 10);
    for (int i = 0; i < 1000; i++) {
      assertTrue(debounce.offer(A, T0.plusMillis(50L * i))); // 1,000 commits over 50 s
    }
    assertEquals(List.of(), debounce.takeDue(T0.plusSeconds(59)));
    assertEquals(List.of(A), debounce.takeDue(T0.plusSeconds(60)));
    assertEquals(List.of(), debounce.takeDue(T0.plusSeconds(600)), "evaluated once");
  }

  @Test
  void aStudyStillIndexedAfterItsEvaluationIsEvaluatedAgainAndStudiesComeInTheirOrder() {
    StudyDebounce debounce = new StudyDebounce(Duration.ofSeconds(60), 10);
    debounce.offer(A, T0);
    debounce.offer(B, T0.plusSeconds(30));
    assertEquals(List.of(A), debounce.takeDue(T0.plusSeconds(61)));
    debounce.offer(A, T0.plusSeconds(62)); // more of A after its evaluation
    assertEquals(List.of(B), debounce.takeDue(T0.plusSeconds(100)));
    assertEquals(List.of(A), debounce.takeDue(T0.plusSeconds(122)));
  }

  @Test
  void atMostMaxPendingStudiesWait() {
    StudyDebounce debounce = new StudyDebounce(Duration.ofSeconds(60), 1);
    assertTrue(debounce.offer(A, T0));
    assertFalse(debounce.offer(B, T0), "left to the schedule");
    assertTrue(debounce.offer(A, T0), "a waiting study is kept");
    assertEquals(1, debounce.pending());
  }
}
