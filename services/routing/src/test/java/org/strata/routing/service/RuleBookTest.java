package org.strata.routing.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.strata.routing.service.RulesDocument.Destination;
import org.strata.routing.service.RulesDocument.Dimse;
import org.strata.routing.service.RulesDocument.Rule;

class RuleBookTest {
  private static final Destination PACS =
      new Destination("pacs", new Dimse("PACS", null, null), null, null, null);

  @Test
  void theShippedExampleIsValidAndItsRuleDisabled() throws Exception {
    RuleBook book = RuleBook.of(new RulesFile(Path.of("../../deploy/routing-rules.yaml")).read());
    assertEquals(1, book.rules().size());
    assertFalse(book.rules().get(0).rule().isEnabled());
    assertTrue(book.destinations().containsKey(book.rules().get(0).rule().destination()));
  }

  @Test
  void predicatesSeeTenantChannelCallingAeAndAttributesByKeyword() {
    RulePredicate p =
        RulePredicate.compile(
            "tenant == 'a' && channel == 'DIMSE' && callingAe == 'CT01' && modality == 'CT'"
                + " && has(dicom.BodyPartExamined) && dicom.BodyPartExamined == 'HEAD'");
    Map<String, Object> facts =
        new java.util.HashMap<>(
            Map.of(
                "tenant", "a",
                "channel", "DIMSE",
                "callingAe", "CT01",
                "modality", "CT",
                "sopClassUid", "1.2",
                "dicom", Map.of("BodyPartExamined", "HEAD")));
    assertTrue(p.test(facts));
    facts.put("dicom", Map.of("BodyPartExamined", "CHEST"));
    assertFalse(p.test(facts));
    facts.put("dicom", Map.of());
    assertFalse(p.test(facts));
  }

  @Test
  void anAttributeMissingWithoutHasIsANonMatchNotAnError() {
    RulePredicate p = RulePredicate.compile("dicom.BodyPartExamined == 'HEAD'");
    assertFalse(
        p.test(
            Map.of(
                "tenant",
                "a",
                "channel",
                "DIMSE",
                "callingAe",
                "",
                "modality",
                "CT",
                "sopClassUid",
                "1.2",
                "dicom",
                Map.of())));
  }

  @Test
  void aRuleSetWithOneFaultIsRefusedAsAWholeNamingTheFault() {
    Rule good = rule("good", "modality == 'CT'", "pacs");
    assertEquals(
        "rule bad: when: ",
        assertThrows(
                IllegalArgumentException.class,
                () -> book(List.of(good, rule("bad", "modality ==", "pacs"))))
            .getMessage()
            .substring(0, 16));
    assertEquals(
        "rule lost: destination is not a listed destination",
        assertThrows(
                IllegalArgumentException.class,
                () -> book(List.of(good, rule("lost", "true", "elsewhere"))))
            .getMessage());
    assertTrue(
        assertThrows(
                IllegalArgumentException.class, () -> book(List.of(rule("int", "1 + 1", "pacs"))))
            .getMessage()
            .startsWith("rule int: when: "),
        "a predicate must be boolean");
    assertEquals(
        "rule good: listed twice",
        assertThrows(IllegalArgumentException.class, () -> book(List.of(good, good))).getMessage());
  }

  private static RuleBook book(List<Rule> rules) {
    return RuleBook.of(new RulesDocument(1, 0L, List.of(PACS), rules));
  }

  private static Rule rule(String id, String when, String destination) {
    return new Rule(id, true, null, when, null, null, destination, null);
  }
}
