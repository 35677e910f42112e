package org.strata.bench.chaos;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What counts as a STOW-RS acknowledgement of one instance, from Strata or from Orthanc. */
class StowSenderTest {
  private static final String SOP = "2.25.1.3.4";

  @Test
  void anEmptyFailedSopSequenceAsOrthancSendsItDoesNotUndoTheAcknowledgement() {
    String orthanc =
        """
        {"00081198": {"vr": "SQ"},
         "00081199": {"vr": "SQ", "Value": [{"00081155": {"vr": "UI", "Value": ["%s"]}}]}}
        """
            .formatted(SOP);
    assertTrue(StowSender.acknowledged(200, orthanc, SOP));
    assertFalse(StowSender.acknowledged(200, orthanc, SOP + "1"), "another instance");
    assertFalse(StowSender.acknowledged(409, orthanc, SOP), "not a success status");
  }

  @Test
  void anInstanceInTheFailedSopSequenceIsNotAcknowledged() {
    String failed =
        """
        {"00081198": {"vr": "SQ", "Value": [{"00081155": {"vr": "UI", "Value": ["%s"]}}]}}
        """
            .formatted(SOP);
    assertFalse(StowSender.acknowledged(202, failed, SOP));
    assertFalse(StowSender.acknowledged(200, "not json", SOP));
  }
}
