package org.strata.index.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** What the index's copy of a value becomes when PostgreSQL cannot hold it (ADR 0023). */
class HoldableTextTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aValueWithoutNulIsLeftAsItIs() {
    HoldableText h = new HoldableText();
    String name = "Yamada^Tarou=山田^太郎 \uD83D\uDE00";
    assertSame(name, h.text(name));
    assertEquals(null, h.text(null));
    assertFalse(h.replacedAny());
  }

  @Test
  void nulIsRemovedAndUnpairedSurrogatesBecomeTheReplacementCharacter() {
    HoldableText h = new HoldableText();
    // NUL, a lone low surrogate, a pair (kept), a lone high surrogate at the end.
    assertEquals("AB\uFFFDC\uD83D\uDE00\uFFFD", h.text("A\0B\uDC00C\uD83D\uDE00\uD83D"));
    assertEquals("\uFFFD", h.text("\uDC00"));
    assertEquals("", h.text("\0"));
    assertTrue(h.replacedAny());
  }

  @Test
  void theJsonCopyIsReplacedAndTheEventsNodeLeftAlone() throws Exception {
    JsonNode attributes =
        JSON.readTree(
            "{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Doe\\u0000^Jane\"}]},"
                + "\"00081030\":{\"vr\":\"LO\",\"Value\":[\"a \\\\u0000 literal\"]}}");
    HoldableText h = new HoldableText();
    JsonNode copy = JSON.readTree(h.json(attributes));
    assertEquals("Doe^Jane", copy.at("/00100010/Value/0/Alphabetic").textValue());
    // An escaped backslash followed by "u0000" is text, not a NUL: kept.
    assertEquals("a \\u0000 literal", copy.at("/00081030/Value/0").textValue());
    assertEquals("Doe\0^Jane", attributes.at("/00100010/Value/0/Alphabetic").textValue());
    assertTrue(h.replacedAny());
  }

  @Test
  void jsonWithoutNulIsPassedOnUnparsed() throws Exception {
    JsonNode attributes = JSON.readTree("{\"00081030\":{\"vr\":\"LO\",\"Value\":[\"CT HEAD\"]}}");
    HoldableText h = new HoldableText();
    assertEquals(attributes.toString(), h.json(attributes));
    assertFalse(h.replacedAny());
  }
}
