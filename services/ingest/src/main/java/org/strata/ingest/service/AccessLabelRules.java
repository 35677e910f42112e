package org.strata.ingest.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.strata.dicom.Attributes;
import org.strata.dicom.Tag;
import org.strata.ids.AccessLabel;
import org.strata.ids.TenantId;

/**
 * The per-tenant rules that give stored instances their access labels (departments, ADR 0025), read
 * once at start from {@code strata.ingest.access-labels-file} (deploy/access-labels.conf). One rule
 * per line: {@code tenant label condition...}; every condition of a line must hold, and every rule
 * that holds adds its label. Conditions: {@code calling-ae=<AE title>} (DIMSE), {@code
 * department=<Institutional Department Name>} (0008,1040, compared without case), {@code
 * modality=<Modality>} (0008,0060). A value with blanks is written in double quotes. A malformed
 * file stops the service rather than label studies wrongly.
 */
public final class AccessLabelRules {
  private record Rule(
      String tenant, String label, String callingAe, String department, String modality) {
    boolean holds(String t, String ae, Attributes a) {
      return tenant.equals(t)
          && (callingAe == null || (ae != null && callingAe.equals(ae.trim())))
          && (department == null
              || department.equals(fold(a.getString(Tag.InstitutionalDepartmentName))))
          && (modality == null || modality.equals(fold(a.getString(Tag.Modality))));
    }
  }

  private static final AccessLabelRules NONE = new AccessLabelRules(List.of());

  private final List<Rule> rules;

  private AccessLabelRules(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** No rules: no instance gets a label. */
  public static AccessLabelRules none() {
    return NONE;
  }

  /** The rules of a file; IllegalArgumentException naming the line if one is malformed. */
  public static AccessLabelRules read(Path file) throws IOException {
    return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
  }

  static AccessLabelRules parse(List<String> lines, String where) {
    List<Rule> rules = new ArrayList<>();
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n);
      int hash = line.indexOf('#');
      List<String> fields = fields(hash >= 0 ? line.substring(0, hash) : line);
      if (fields.isEmpty()) {
        continue;
      }
      String at = where + " line " + (n + 1) + ": ";
      if (fields.size() < 3) {
        throw new IllegalArgumentException(at + "expected: tenant label condition...");
      }
      String tenant;
      String label;
      try {
        tenant = TenantId.parse(fields.get(0)).value();
        label = AccessLabel.parse(fields.get(1));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(at + e.getMessage());
      }
      String ae = null;
      String department = null;
      String modality = null;
      for (String c : fields.subList(2, fields.size())) {
        int eq = c.indexOf('=');
        String value = eq < 0 ? "" : c.substring(eq + 1).trim();
        if (value.isEmpty()) {
          throw new IllegalArgumentException(at + "a condition is name=value");
        }
        switch (c.substring(0, eq)) {
          case "calling-ae" -> ae = value;
          case "department" -> department = fold(value);
          case "modality" -> modality = fold(value);
          default ->
              throw new IllegalArgumentException(
                  at + "conditions are calling-ae=, department= and modality=");
        }
      }
      rules.add(new Rule(tenant, label, ae, department, modality));
    }
    return new AccessLabelRules(rules);
  }

  /** Blank-separated fields; a double-quoted part keeps its blanks ({@code department="A B"}). */
  private static List<String> fields(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (char c : line.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
        any = true;
      } else if (!quoted && Character.isWhitespace(c)) {
        if (any) {
          out.add(field.toString());
          field.setLength(0);
          any = false;
        }
      } else {
        field.append(c);
        any = true;
      }
    }
    if (any) {
      out.add(field.toString());
    }
    return out;
  }

  private static String fold(String value) {
    return value == null ? null : value.trim().toUpperCase(Locale.ROOT);
  }

  /** The labels of an instance of {@code tenant} sent by {@code callingAe} (null for STOW-RS). */
  public List<String> labels(String tenant, String callingAe, Attributes dataset) {
    Set<String> labels = new LinkedHashSet<>();
    for (Rule r : rules) {
      if (r.holds(tenant, callingAe, dataset)) {
        labels.add(r.label());
      }
    }
    return List.copyOf(labels);
  }
}
