package org.strata.indexschema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * The one normalisation of the index schema (written by index, applied to query values by query);
 * the expected forms are those of services/index InstanceIndexingTest and the index README.
 */
class PersonNamesTest {
  @Test
  void sameFormAsTheIndex() {
    assertEquals("YAMADA TAROU 山田 太郎", PersonNames.normalize("Yamada^Tarou=山田^太郎"));
    assertEquals("HONG GILDONG 洪 吉洞", PersonNames.normalize("Hong^Gildong=洪^吉洞"));
    assertEquals("MULLER HANS", PersonNames.normalize("Müller^Hans"));
    assertEquals("DOE JANE", PersonNames.normalize("  doe^^jane  "));
    assertEquals("DOE* J?NE", PersonNames.normalize("Doe*^J?ne"));
    assertNull(PersonNames.normalize("^="));
  }
}
