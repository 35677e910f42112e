package org.strata.routing.stow;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.strata.routing.service.RulesDocument.Destination;

/**
 * Asks a DICOMweb destination which instances of a study it holds (QIDO-RS, PS3.18 10.6: {@code GET
 * {url}/studies/{study}/instances}), the SOP Instance UIDs (0008,0018) of its answer. The answer is
 * read as a stream and bounded: at most {@link #MAX_INSTANCES} UIDs, {@link #MAX_BYTES} bytes.
 */
final class QidoDeliveryCheck {
  static final int MAX_INSTANCES = 100_000;
  static final long MAX_BYTES = 64L << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final StowAuthorization authorization;
  private final Duration timeout;

  /** An answer that is not what QIDO-RS answers; its message names no UID or PHI. */
  static final class BadAnswer extends IOException {
    BadAnswer(String message) {
      super(message);
    }
  }

  QidoDeliveryCheck(HttpClient http, StowAuthorization authorization, Duration timeout) {
    this.http = http;
    this.authorization = authorization;
    this.timeout = timeout;
  }

  /** The SOP Instance UIDs of {@code study} the destination answers (none: empty). */
  Set<String> instancesOf(String base, String study, Destination destination)
      throws IOException, InterruptedException {
    URI uri =
        URI.create(
            base
                + "/studies/"
                + URLEncoder.encode(study, StandardCharsets.US_ASCII)
                + "/instances?includefield=00080018");
    HttpRequest.Builder rq =
        HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/dicom+json");
    String auth = authorization.header(destination.name(), destination.stow());
    if (auth != null) {
      rq.header("Authorization", auth);
    }
    HttpResponse<InputStream> r =
        http.send(rq.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = r.body()) {
      if (r.statusCode() == 204 || r.statusCode() == 404) {
        return Set.of();
      }
      if (r.statusCode() == 401) {
        authorization.refused(destination.name());
      }
      if (r.statusCode() != 200) {
        throw new BadAnswer("answered " + r.statusCode());
      }
      return sopInstanceUids(new BoundedInputStream(body, MAX_BYTES));
    }
  }

  /** The "00080018" values of a DICOM JSON array of data sets, streamed. */
  static Set<String> sopInstanceUids(InputStream json) throws IOException {
    Set<String> out = new HashSet<>();
    try (JsonParser p = JSON.getFactory().createParser(json)) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw new BadAnswer("not a JSON array");
      }
      while (p.nextToken() == JsonToken.START_OBJECT) {
        com.fasterxml.jackson.databind.JsonNode dataSet = JSON.readTree(p);
        var value = dataSet.path("00080018").path("Value").path(0);
        if (value.isTextual()) {
          out.add(value.asText());
          if (out.size() > MAX_INSTANCES) {
            throw new BadAnswer("more than " + MAX_INSTANCES + " instances");
          }
        }
      }
    }
    return out;
  }

  /** Fails a read past {@code limit} bytes instead of reading an endless answer. */
  private static final class BoundedInputStream extends java.io.FilterInputStream {
    private long left;

    BoundedInputStream(InputStream in, long limit) {
      super(in);
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        throw new BadAnswer("answer larger than " + MAX_BYTES + " bytes");
      }
      int b = super.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      if (left <= 0) {
        throw new BadAnswer("answer larger than " + MAX_BYTES + " bytes");
      }
      int n = super.read(buf, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }
  }
}
