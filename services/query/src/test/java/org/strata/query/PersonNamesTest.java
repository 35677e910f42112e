package org.strata.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.strata.query.qido.PersonNames;

/**
 * Query values are normalised as the index normalises stored names; the expected forms are the
 * index's own (services/index InstanceIndexingTest) and the rules of its README.
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
