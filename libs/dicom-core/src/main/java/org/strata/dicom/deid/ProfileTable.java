package org.strata.dicom.deid;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.strata.dicom.Tags;

/**
 * PS3.15 Table E.1-1 (Application Level Confidentiality Profile Attributes) as data: read once from
 * {@code confidentiality-profile.tsv}, generated from the standard by {@code
 * tools/generate_deid_profile.py}, so that a new edition is a regenerated file, not new code.
 */
public final class ProfileTable {

  /** One row: the attribute (a tag, or a tag pattern with hex digits masked) and its codes. */
  public record Row(int tag, int mask, String name, String[] codes) {
    /** The code of {@code column} as the table writes it (X, Z, D, K, C, U, X/Z, ...), or "". */
    public String code(ProfileColumn column) {
      return codes[column.ordinal()];
    }

    public boolean matches(int t) {
      return (t & mask) == tag;
    }
  }

  public static final String RESOURCE = "confidentiality-profile.tsv";

  private static final ProfileTable INSTANCE = load();

  private final List<Row> rows;
  private final Map<Integer, Row> exact = new HashMap<>();
  private final List<Row> patterns = new ArrayList<>();
  private final Row privateRow;

  private ProfileTable(List<Row> rows, Row privateRow) {
    this.rows = List.copyOf(rows);
    this.privateRow = privateRow;
    for (Row r : rows) {
      if (r.mask() == -1) {
        exact.put(r.tag(), r);
      } else {
        patterns.add(r);
      }
    }
  }

  public static ProfileTable standard() {
    return INSTANCE;
  }

  /** Every row with a tag or tag pattern (the private attributes row is {@link #privateRow}). */
  public List<Row> rows() {
    return rows;
  }

  /** The row "Private Attributes (gggg,eeee) where gggg is odd". */
  public Row privateRow() {
    return privateRow;
  }

  /**
   * The row for {@code tag}: its own, else a matching pattern (curves, overlays), else null. Every
   * odd group is private here, the illegal groups 0001-0007 included (no standard attribute lives
   * there, so nothing safe can be assumed of them).
   */
  public Row find(int tag) {
    if ((Tags.group(tag) & 1) == 1) {
      return privateRow;
    }
    Row r = exact.get(tag);
    if (r != null) {
      return r;
    }
    for (Row p : patterns) {
      if (p.matches(tag)) {
        return p;
      }
    }
    return null;
  }

  private static ProfileTable load() {
    try (InputStream in = ProfileTable.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " missing from the class path");
      }
      return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ProfileTable parse(BufferedReader reader) throws IOException {
    int columns = ProfileColumn.values().length;
    List<Row> rows = new ArrayList<>();
    Row privateRow = null;
    String line;
    while ((line = reader.readLine()) != null) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t", -1);
      if (f.length != columns + 2) {
        throw new IllegalStateException("malformed profile row: " + line);
      }
      String[] codes = new String[columns];
      System.arraycopy(f, 1, codes, 0, columns);
      String name = f[columns + 1];
      if (f[0].equals("private")) {
        privateRow = new Row(0, 0, name, codes);
        continue;
      }
      int tag = 0;
      int mask = 0;
      for (char c : f[0].toCharArray()) {
        boolean any = c == 'x';
        tag = (tag << 4) | (any ? 0 : Character.digit(c, 16));
        mask = (mask << 4) | (any ? 0 : 0xF);
      }
      rows.add(new Row(tag, mask, name, codes));
    }
    if (privateRow == null) {
      throw new IllegalStateException("profile without the private attributes row");
    }
    return new ProfileTable(rows, privateRow);
  }
}
