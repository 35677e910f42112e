package org.strata.ingest.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.strata.ingest.service.FailureReason;
import org.strata.ingest.service.StoreResult;

/**
 * The Store Instances response (PS3.18 10.5.3): Retrieve URL, Referenced SOP Sequence with each
 * stored instance's Retrieve URL, Failed SOP Sequence with Failure Reasons; and the HTTP status
 * that goes with them. Instances are stored as received, never coerced (ADR 0019), so no stored
 * instance carries a Warning Reason.
 */
final class StowResponse {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final String baseUrl;
  private final String targetStudy;
  private final List<StoreResult> results = new ArrayList<>();

  StowResponse(String baseUrl, String targetStudy) {
    this.baseUrl = baseUrl;
    this.targetStudy = targetStudy;
  }

  void add(StoreResult result) {
    results.add(result);
  }

  /** Every result so far, in order. */
  List<StoreResult> all() {
    return List.copyOf(results);
  }

  boolean isEmpty() {
    return results.isEmpty();
  }

  int results() {
    return results.size();
  }

  /** Event ids of the objects this request newly stored (not duplicates, not failures). */
  List<String> newEventIds() {
    return results.stream().map(StoreResult::eventId).filter(id -> id != null).toList();
  }

  /** 200 all stored; 202 some failed; 503 none stored, all transient; 409 none. */
  int status() {
    long stored = results.stream().filter(StoreResult::stored).count();
    if (stored == results.size()) {
      return 200;
    }
    if (stored > 0) {
      return 202;
    }
    boolean allTransient = results.stream().allMatch(r -> r.failure().isTransient());
    return allTransient ? 503 : 409;
  }

  ObjectNode body() {
    ObjectNode root = JSON.objectNode();
    if (targetStudy != null) {
      attr(root, "00081190", "UR", JSON.textNode(baseUrl + "/studies/" + targetStudy));
    }
    ArrayNode referenced = JSON.arrayNode();
    ArrayNode failed = JSON.arrayNode();
    for (StoreResult r : results) {
      ObjectNode item = JSON.objectNode();
      if (r.sopClassUid() != null) {
        attr(item, "00081150", "UI", JSON.textNode(r.sopClassUid()));
      }
      if (r.sopInstanceUid() != null) {
        attr(item, "00081155", "UI", JSON.textNode(r.sopInstanceUid()));
      }
      if (r.stored()) {
        attr(
            item,
            "00081190",
            "UR",
            JSON.textNode(
                baseUrl
                    + "/studies/"
                    + r.studyInstanceUid()
                    + "/series/"
                    + r.seriesInstanceUid()
                    + "/instances/"
                    + r.sopInstanceUid()));
        referenced.add(item);
      } else {
        attr(item, "00081197", "US", JSON.numberNode(r.failure().code()));
        failed.add(item);
      }
    }
    if (!failed.isEmpty()) {
      root.putObject("00081198").put("vr", "SQ").set("Value", failed);
    }
    if (!referenced.isEmpty()) {
      root.putObject("00081199").put("vr", "SQ").set("Value", referenced);
    }
    return root;
  }

  /** A failure of the request's framing after some instances may have been stored. */
  void addFramingFailure() {
    results.add(
        new StoreResult(
            null, null, null, null, FailureReason.CANNOT_UNDERSTAND, "framing", false, null));
  }

  private static void attr(
      ObjectNode parent, String tag, String vr, com.fasterxml.jackson.databind.JsonNode v) {
    parent.putObject(tag).put("vr", vr).set("Value", JSON.arrayNode().add(v));
  }
}
