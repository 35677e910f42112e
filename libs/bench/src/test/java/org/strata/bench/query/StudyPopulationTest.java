package org.strata.bench.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StudyPopulationTest {

  @Test
  void namesAreNormalisedAsTheIndexDoes() {
    // The forms libs/index-schema PersonNames gives (its PersonNamesTest pins the same rules).
    assertEquals("MULLER HANS", StudyPopulation.normalize("Müller^Hans"));
    assertEquals("GONCALVES JOAO", StudyPopulation.normalize("Gonçalves^João"));
    assertEquals("YAMADA TAROU 山田 太郎", StudyPopulation.normalize("Yamada^Tarou=山田^太郎"));
    assertEquals("O'BRIEN ZOE", StudyPopulation.normalize("O'Brien^Zoë"));
  }

  @Test
  void everyStudyHasTenInstancesOverOneToThreeSeries() {
    for (int s = 0; s < 3000; s++) {
      StudyPopulation.Study study = StudyPopulation.study(s);
      assertTrue(study.series() >= 1 && study.series() <= 3, "series of study " + s);
      int instances = 0;
      for (int k = 1; k <= study.series(); k++) {
        instances += study.instancesInSeries(k);
      }
      assertEquals(10, instances, "instances of study " + s);
    }
  }

  @Test
  void twoStudiesPerPatientAndUniqueKeys() {
    assertEquals(StudyPopulation.study(6).patientId(), StudyPopulation.study(7).patientId());
    assertEquals(StudyPopulation.study(6).patientName(), StudyPopulation.study(7).patientName());
    assertNotEquals(StudyPopulation.study(7).patientId(), StudyPopulation.study(8).patientId());
    assertEquals("MRN0000003", StudyPopulation.study(7).patientId());
    Set<String> accessions = new HashSet<>();
    Set<String> uids = new HashSet<>();
    for (int s = 0; s < 20_000; s++) {
      StudyPopulation.Study study = StudyPopulation.study(s);
      assertTrue(accessions.add(study.accession()), "accession of study " + s);
      assertTrue(uids.add(study.studyUid()), "UID of study " + s);
      assertTrue(study.accession().length() <= 16, "SH holds 16 characters");
      assertTrue(study.studyUid().length() <= 64, "UI holds 64 characters");
      assertTrue(!study.date().isBefore(LocalDate.of(2015, 1, 1)));
      assertTrue(!study.date().isAfter(LocalDate.of(2024, 12, 31)));
    }
  }

  @Test
  void sameStudySameValuesEveryTime() {
    assertEquals(StudyPopulation.study(12_345), StudyPopulation.study(12_345));
  }
}
