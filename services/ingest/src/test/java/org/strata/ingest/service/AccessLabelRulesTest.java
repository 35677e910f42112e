package org.strata.ingest.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.strata.dicom.Attributes;
import org.strata.dicom.Tag;
import org.strata.dicom.VR;

/** Access labels at ingest (ADR 0025): per tenant, by calling AE, department and modality. */
class AccessLabelRulesTest {
  private static final AccessLabelRules RULES =
      AccessLabelRules.parse(
          List.of(
              "# tenant   label   conditions",
              "Hospital-A  Cardiology  department=\"Cardiology Dept\"",
              "hospital-a  cardiology  calling-ae=ECHO01",
              "hospital-a  radiology   modality=CT   # every CT",
              "hospital-a  neuro       modality=MR department=Neuro",
              ""),
          "test");

  private static Attributes dataset(String department, String modality) {
    Attributes a = new Attributes();
    if (department != null) {
      a.setString(Tag.InstitutionalDepartmentName, VR.LO, department);
    }
    if (modality != null) {
      a.setString(Tag.Modality, VR.CS, modality);
    }
    return a;
  }

  @Test
  void everyRuleThatHoldsAddsItsLabelInItsTenantOnly() {
    assertEquals(
        List.of("cardiology", "radiology"),
        RULES.labels("hospital-a", null, dataset(" cardiology dept ", "CT")));
    assertEquals(
        List.of("cardiology"), RULES.labels("hospital-a", "ECHO01  ", dataset(null, "US")));
    assertEquals(List.of("radiology"), RULES.labels("hospital-a", null, dataset("Neuro", "CT")));
    assertEquals(List.of("neuro"), RULES.labels("hospital-a", null, dataset("NEURO", "MR")));
    assertEquals(List.of(), RULES.labels("hospital-b", "ECHO01", dataset("Cardiology Dept", "CT")));
    assertEquals(
        List.of(), AccessLabelRules.none().labels("hospital-a", "ECHO01", dataset(null, "CT")));
  }

  @Test
  void aMalformedRuleStopsTheServiceWithItsLine() {
    for (String bad :
        List.of(
            "hospital-a cardiology",
            "hospital_a cardiology modality=CT",
            "hospital-a card/iology modality=CT",
            "hospital-a cardiology station=X",
            "hospital-a cardiology modality=")) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> AccessLabelRules.parse(List.of(bad), "f"));
      assertTrue(e.getMessage().startsWith("f line 1: "), e.getMessage());
    }
  }
}
