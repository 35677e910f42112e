package org.strata.ingest.service;

import java.io.InputStream;
import java.util.Map;

/**
 * One part of a STOW-RS request body: its headers (names lower case) and its body, read once.
 *
 * @see BodyParts
 */
public record BodyPart(Map<String, String> headers, InputStream body) {
  public String contentType() {
    return headers.getOrDefault("content-type", "");
  }
}
