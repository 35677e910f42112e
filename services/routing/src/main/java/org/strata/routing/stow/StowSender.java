package org.strata.routing.stow;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.strata.dicom.deid.Deidentifier;
import org.strata.events.RoutingJob;
import org.strata.routing.config.RoutingConfig;
import org.strata.routing.service.OutgoingObjects;
import org.strata.routing.service.Progress;
import org.strata.routing.service.RulesDocument.Destination;
import org.strata.routing.service.SendOutcome;
import org.strata.routing.service.Sender;

/**
 * STOW-RS to a DICOMweb destination (PS3.18 10.5): one request per instance, the stored Part 10
 * object streamed from S3 as the one {@code application/dicom} part, so each instance's outcome is
 * known exactly. 200 is delivered; 401 forgets the token; any other answer fails the attempt. A job
 * that de-identifies sends de-identified copies (ADR 0050).
 */
@ApplicationScoped
public class StowSender implements Sender {
  private final HttpClient http;
  private final StowAuthorization authorization;
  private final OutgoingObjects objects;
  private final Duration timeout;
  private final QidoDeliveryCheck delivery;

  StowSender(OutgoingObjects objects, RoutingConfig config) {
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    this.authorization = new StowAuthorization(http, System::getenv);
    this.objects = objects;
    this.timeout = config.stowTimeout();
    this.delivery = new QidoDeliveryCheck(http, authorization, timeout);
  }

  @Override
  public SendOutcome send(
      RoutingJob job, Destination destination, BooleanSupplier cancelled, Progress progress) {
    List<RoutingJob.Instance> todo = job.instances();
    Deidentifier deid;
    try {
      deid = objects.deidentifier(job, destination);
    } catch (OutgoingObjects.KeyUnavailable e) {
      return SendOutcome.failed(0, todo, e.getMessage());
    }
    String base = destination.stow().url().replaceAll("/+$", "");
    URI studies = URI.create(base + "/studies");
    int sent = 0;
    for (RoutingJob.Instance i : todo) {
      if (cancelled.getAsBoolean()) {
        return SendOutcome.cancelled(sent);
      }
      String boundary = "strata-" + UUID.randomUUID();
      try (OutgoingObjects.Outgoing out = objects.prepare(i, deid)) {
        HttpRequest.Builder rq =
            HttpRequest.newBuilder(studies)
                .timeout(timeout)
                .header(
                    "Content-Type",
                    "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body(boundary, out)));
        String auth = authorization.header(destination.name(), destination.stow());
        if (auth != null) {
          rq.header("Authorization", auth);
        }
        HttpResponse<Void> r = http.send(rq.build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 401) {
          authorization.refused(destination.name());
        }
        if (r.statusCode() != 200) {
          return SendOutcome.failed(
              sent, todo.subList(sent, todo.size()), "STOW-RS answered " + r.statusCode());
        }
        sent++;
        progress.confirmed(sent);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return SendOutcome.failed(sent, todo.subList(sent, todo.size()), "interrupted");
      } catch (StowAuthorization.Failed e) {
        return SendOutcome.failed(
            sent, todo.subList(sent, todo.size()), "authorization: " + e.getMessage());
      } catch (IOException | RuntimeException e) {
        return SendOutcome.failed(
            sent,
            todo.subList(sent, todo.size()),
            "STOW-RS failed: " + e.getClass().getSimpleName());
      }
    }
    if (destination.stow().verifyOrDefault() && sent > 0) {
      return proven(job, destination, base, sent, deid);
    }
    return SendOutcome.done(sent);
  }

  /**
   * Proof of delivery (ADR 0042): QIDO-RS on the destination must find every instance this attempt
   * sent; otherwise the attempt fails and the whole of it is sent again (a STOW-RS of an instance
   * the destination holds is harmless), so that a job is SENT only once proven.
   */
  private SendOutcome proven(
      RoutingJob job, Destination destination, String base, int sent, Deidentifier deid) {
    List<RoutingJob.Instance> todo = job.instances();
    String reason;
    try {
      // A de-identified job is looked for under the UIDs the destination received.
      java.util.Set<String> found =
          delivery.instancesOf(
              base, OutgoingObjects.asSent(job.studyInstanceUid(), deid), destination);
      long missing =
          todo.stream()
              .filter(i -> !found.contains(OutgoingObjects.asSent(i.sopInstanceUid(), deid)))
              .count();
      if (missing == 0) {
        return SendOutcome.done(sent);
      }
      reason =
          "proof of delivery: QIDO-RS finds "
              + (todo.size() - missing)
              + " of the "
              + todo.size()
              + " instances sent";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reason = "interrupted";
    } catch (IOException | RuntimeException e) {
      reason =
          "proof of delivery: QIDO-RS failed: "
              + (e instanceof QidoDeliveryCheck.BadAnswer
                  ? e.getMessage()
                  : e.getClass().getSimpleName());
    }
    return SendOutcome.failed(0, todo, reason);
  }

  private InputStream body(String boundary, OutgoingObjects.Outgoing instance) {
    try {
      byte[] head =
          ("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII);
      byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
      return new SequenceInputStream(
          java.util.Collections.enumeration(
              List.of(
                  new ByteArrayInputStream(head),
                  instance.open(),
                  new ByteArrayInputStream(tail))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
