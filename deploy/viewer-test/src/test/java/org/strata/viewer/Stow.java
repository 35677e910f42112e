package org.strata.viewer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** STOW-RS of one Part 10 file through the DICOMweb base URL, with a bearer token. */
final class Stow {
  private static final String BOUNDARY = "strata-viewer-test";
  private final String baseUrl;
  private final HttpClient http = HttpClient.newHttpClient();

  Stow(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  void store(String token, Path file) throws IOException, InterruptedException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(
        ("--" + BOUNDARY + "\r\nContent-Type: application/dicom\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    body.write(Files.readAllBytes(file));
    body.write(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/studies"))
            .header("Authorization", "Bearer " + token)
            .header(
                "Content-Type",
                "multipart/related; type=\"application/dicom\"; boundary=" + BOUNDARY)
            .header("Accept", "application/dicom+json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "STOW-RS of "
              + file.getFileName()
              + ": "
              + response.statusCode()
              + " "
              + response.body());
    }
  }
}
