package org.strata.dicom.deid;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The profile resource read by the tests themselves (not through {@link ProfileTable}): each row's
 * tag text and its codes by column header, as the standard's table writes them.
 */
record ProfileRows(String tag, String name, Map<String, String> codes) {

  static List<ProfileRows> read() throws IOException {
    String text;
    try (InputStream in = ProfileTable.class.getResourceAsStream("confidentiality-profile.tsv")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<ProfileRows> rows = new ArrayList<>();
    String[] header = null;
    for (String line : text.split("\n")) {
      if (line.startsWith("# tag")) {
        header = line.substring(2).split("\t");
        continue;
      }
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t", -1);
      Map<String, String> codes = new LinkedHashMap<>();
      for (int i = 1; i < f.length - 1; i++) {
        codes.put(header[i], f[i]);
      }
      rows.add(new ProfileRows(f[0], f[f.length - 1], codes));
    }
    return rows;
  }

  /**
   * A concrete tag for the row: patterns get their first group (5000, 6000); Curve Data (50xx,xxxx)
   * gets element 3000 (element 0000 would be a group length, removed for another reason).
   */
  int concreteTag() {
    String t = tag.endsWith("xxxx") ? tag.substring(0, 4) + "3000" : tag;
    return (int) Long.parseLong(t.replace('x', '0'), 16);
  }

  boolean isPrivateRow() {
    return tag.equals("private");
  }
}
