package org.strata.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** helm/strata through the real Helm code (helm-java): lint and template, no cluster, no binary. */
final class Chart {

  static final Path ROOT = Path.of(System.getProperty("strata.root", "../..")).toAbsolutePath();
  static final Path DIR = ROOT.resolve("helm/strata");

  /** Values files the tests render with (not packaged: .helmignore leaves out ci/). */
  static final Path CI_VALUES = DIR.resolve("ci");

  static final String RELEASE = "strata";
  static final String NAMESPACE = "strata";

  private Chart() {}

  static LintResult lint() {
    return new Helm(DIR).lint().strict().call();
  }

  /** The rendered manifests, one YAML document per object (helm's "---" separated output). */
  static List<String> render(Path valuesFile) {
    TemplateCommand template = new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE);
    if (valuesFile != null) {
      template = template.withValuesFile(valuesFile);
    }
    return documents(template.call());
  }

  static List<String> documents(String rendered) {
    List<String> docs = new ArrayList<>();
    for (String doc : rendered.split("(?m)^---\\s*$")) {
      boolean empty = doc.lines().map(String::trim).allMatch(l -> l.isEmpty() || l.startsWith("#"));
      if (!empty) {
        docs.add(doc);
      }
    }
    return docs;
  }
}
