package org.strata.routing.service;

import java.util.List;
import org.strata.events.RoutingJob;

/**
 * What one attempt of a job did.
 *
 * @param sent instances delivered in this attempt
 * @param left instances still to send (empty when the job is done or was cancelled)
 * @param failure why the attempt stopped before the end, null when it did not; never PHI
 * @param cancelled the job was cancelled while it was being sent
 */
public record SendOutcome(
    int sent, List<RoutingJob.Instance> left, String failure, boolean cancelled) {

  public static SendOutcome done(int sent) {
    return new SendOutcome(sent, List.of(), null, false);
  }

  public static SendOutcome failed(int sent, List<RoutingJob.Instance> left, String reason) {
    return new SendOutcome(sent, List.copyOf(left), reason, false);
  }

  public static SendOutcome cancelled(int sent) {
    return new SendOutcome(sent, List.of(), null, true);
  }
}
