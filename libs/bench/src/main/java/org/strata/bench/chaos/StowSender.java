package org.strata.bench.chaos;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A STOW-RS client over plain HTTP: one instance a request, as fast as the archive answers, every
 * answer written to the ledger.
 */
public final class StowSender implements Runnable {
  private static final String BOUNDARY = "strata-chaos-boundary";
  // Where the answer puts the instance: FailedSOPSequence or ReferencedSOPSequence (PS3.18).
  private static final String FAILED_SOP_SEQUENCE = "\"00081198\"";
  private static final String REFERENCED_SOP_SEQUENCE = "\"00081199\"";

  private final String url;
  private final Sending sending;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  StowSender(String stowUrl, Sending sending) {
    this.url = stowUrl;
    this.sending = sending;
  }

  @Override
  public void run() {
    while (sending.goOn()) {
      ChaosInstances.Instance instance = sending.instances().next();
      String sentIn = sending.phase().get();
      long sentAt = System.nanoTime();
      Ledger.Outcome outcome;
      String detail;
      try {
        HttpResponse<String> response =
            http.send(request(url, instance), HttpResponse.BodyHandlers.ofString());
        outcome =
            acknowledged(response, instance) ? Ledger.Outcome.ACKNOWLEDGED : Ledger.Outcome.REFUSED;
        detail = "HTTP " + response.statusCode();
      } catch (ConnectException e) {
        // Nothing reached the archive; the instance was never on its way.
        outcome = Ledger.Outcome.REFUSED;
        detail = "connect: refused";
      } catch (IOException e) {
        outcome = Ledger.Outcome.REFUSED;
        detail = "no answer: " + e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      sending.record("STOW-RS", instance, sentIn, sentAt, outcome, detail);
    }
  }

  /**
   * Whether the answer acknowledges the instance: 200 or 202 naming it in ReferencedSOPSequence,
   * with no FailedSOPSequence (also the routing kill suite's).
   */
  static boolean acknowledged(HttpResponse<String> response, ChaosInstances.Instance instance) {
    return acknowledged(response, instance.sop());
  }

  /** The same for the instance of SOP Instance UID {@code sop} (also the routing benchmark's). */
  public static boolean acknowledged(HttpResponse<String> response, String sop) {
    String body = response.body();
    return (response.statusCode() == 200 || response.statusCode() == 202)
        && body.contains(REFERENCED_SOP_SEQUENCE)
        && !body.contains(FAILED_SOP_SEQUENCE)
        && body.contains(sop);
  }

  /** One instance as a STOW-RS request to {@code url} (also the tiering kill suite's). */
  static HttpRequest request(String url, ChaosInstances.Instance instance) {
    return request(url, instance.file());
  }

  /** One Part 10 file as a STOW-RS request to {@code url} (also the routing benchmark's). */
  public static HttpRequest request(String url, byte[] file) {
    ByteArrayOutputStream body = new ByteArrayOutputStream(file.length + 256);
    body.writeBytes(
        ("--" + BOUNDARY + "\r\nContent-Type: application/dicom\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    body.writeBytes(file);
    body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(120))
        .header(
            "Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + BOUNDARY)
        .header("Accept", "application/dicom+json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
        .build();
  }
}
