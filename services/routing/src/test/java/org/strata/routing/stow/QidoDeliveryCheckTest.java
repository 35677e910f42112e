package org.strata.routing.stow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reading a QIDO-RS answer for the proof of delivery: the SOP Instance UIDs, or a refusal. */
class QidoDeliveryCheckTest {

  private static Set<String> read(String json) throws IOException {
    return QidoDeliveryCheck.sopInstanceUids(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void theSopInstanceUidsOfEachDataSetAreRead() throws IOException {
    assertEquals(
        Set.of("1.2.3.1", "1.2.3.2"),
        read(
            "[{\"00080018\":{\"vr\":\"UI\",\"Value\":[\"1.2.3.1\"]},\"00080016\":{\"vr\":\"UI\","
                + "\"Value\":[\"1.2.840.10008.5.1.4.1.1.2\"]}},"
                + "{\"00080018\":{\"vr\":\"UI\",\"Value\":[\"1.2.3.2\"]}},{}]"));
    assertEquals(Set.of(), read("[]"));
  }

  @Test
  void anAnswerThatIsNotAnArrayOfDataSetsIsRefused() {
    assertThrows(QidoDeliveryCheck.BadAnswer.class, () -> read("{\"00080018\":{}}"));
    assertThrows(IOException.class, () -> read("[{\"00080018\":"));
  }
}
