package org.strata.bench.chaos;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
  private static final String FAILED_SOP_SEQUENCE = "00081198";
  private static final String REFERENCED_SOP_SEQUENCE = "00081199";
  private static final String REFERENCED_SOP_INSTANCE_UID = "00081155";
  private static final ObjectMapper JSON = new ObjectMapper();

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
   * Whether the answer acknowledges the instance: 200 or 202 naming it in ReferencedSOPSequence and
   * not in FailedSOPSequence (also the routing kill suite's).
   */
  static boolean acknowledged(HttpResponse<String> response, ChaosInstances.Instance instance) {
    return acknowledged(response, instance.sop());
  }

  /**
   * The same for the instance of SOP Instance UID {@code sop} (also the routing benchmark's;
   * Orthanc answers with an empty FailedSOPSequence when nothing failed).
   */
  public static boolean acknowledged(HttpResponse<String> response, String sop) {
    return acknowledged(response.statusCode(), response.body(), sop);
  }

  static boolean acknowledged(int status, String body, String sop) {
    if (status != 200 && status != 202) {
      return false;
    }
    try {
      JsonNode answer = JSON.readTree(body);
      return names(answer.path(REFERENCED_SOP_SEQUENCE), sop)
          && !names(answer.path(FAILED_SOP_SEQUENCE), sop);
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  /** Whether an item of the sequence has {@code sop} as its Referenced SOP Instance UID. */
  private static boolean names(JsonNode sequence, String sop) {
    for (JsonNode item : sequence.path("Value")) {
      for (JsonNode uid : item.path(REFERENCED_SOP_INSTANCE_UID).path("Value")) {
        if (sop.equals(uid.asText())) {
          return true;
        }
      }
    }
    return false;
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
