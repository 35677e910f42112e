package org.strata.routing.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.routing.config.RoutingConfig;

/**
 * Rules the deployment manages (a ConfigMap, the same for every replica; ADR 0039): the admin API's
 * changes are refused and the file is left as it is; with a writable file the same change is
 * written.
 */
class ReadOnlyRulesTest {

  @Test
  void changesAreRefusedAndTheFileIsUntouchedWhenTheRulesAreReadOnly(@TempDir Path dir)
      throws Exception {
    Path file = shippedRulesIn(dir);
    byte[] before = Files.readAllBytes(file);
    RoutingRules rules = started(file, true);
    try {
      assertThrows(
          RulesReadOnlyException.class, () -> rules.setEnabled("ct-to-reading-pacs", true));
      assertThrows(
          RulesReadOnlyException.class,
          () -> rules.putRule(rules.book().document().rules().get(0).withEnabled(true)));
      assertArrayEquals(before, Files.readAllBytes(file));
      assertFalse(rules.book().rules().get(0).rule().isEnabled());
    } finally {
      rules.stop(null);
    }
  }

  @Test
  void theSameChangeIsWrittenWhenTheFileIsWritable(@TempDir Path dir) throws Exception {
    Path file = shippedRulesIn(dir);
    RoutingRules rules = started(file, false);
    try {
      assertTrue(rules.setEnabled("ct-to-reading-pacs", true));
      assertTrue(new RulesFile(file).read().rules().get(0).isEnabled());
    } finally {
      rules.stop(null);
    }
  }

  private static Path shippedRulesIn(Path dir) throws Exception {
    return Files.copy(
        Path.of("../../deploy/routing-rules.yaml"), dir.resolve("routing-rules.yaml"));
  }

  private static RoutingRules started(Path file, boolean readOnly) throws Exception {
    RoutingRules rules = new RoutingRules(config(file, readOnly));
    rules.start(null);
    return rules;
  }

  /** Only the keys RoutingRules reads. */
  private static RoutingConfig config(Path file, boolean readOnly) {
    return (RoutingConfig)
        Proxy.newProxyInstance(
            RoutingConfig.class.getClassLoader(),
            new Class<?>[] {RoutingConfig.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "rulesFile" -> file.toString();
                  case "rulesReadOnly" -> readOnly;
                  case "rulesReloadInterval" -> Duration.ofHours(1);
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }
}
