package org.strata.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DCMTK's dcmdump on a file (a received or served object): its elements at every depth, as DCMTK,
 * not our parser, reads them; the calling test fails if dcmdump fails or reports an error.
 */
public final class Dcmdump {
  private static final Pattern LINE =
      Pattern.compile("^( *)\\(([0-9a-f]{4}),([0-9a-f]{4})\\) \\S\\S (.*?) *#.*$");

  /** One element: depth, tag as 8 hex digits, value as dcmdump prints it ([text], =name...). */
  public record Element(int depth, String tag, String value) {
    public int group() {
      return Integer.parseInt(tag.substring(0, 4), 16);
    }

    /** The text between dcmdump's brackets, or "" when it printed none. */
    public String text() {
      return value.startsWith("[") && value.endsWith("]")
          ? value.substring(1, value.length() - 1)
          : "";
    }
  }

  private Dcmdump() {}

  public static List<Element> elements(Path file) throws Exception {
    Process p =
        new ProcessBuilder("dcmdump", "-q", "-Un", "+L", file.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    assertEquals(0, p.waitFor(), out);
    assertFalse(out.contains("E: "), out);
    List<Element> elements = new ArrayList<>();
    for (String line : out.split("\n")) {
      Matcher m = LINE.matcher(line);
      if (m.matches()) {
        elements.add(new Element(m.group(1).length() / 2, m.group(2) + m.group(3), m.group(4)));
      }
    }
    return elements;
  }

  /** The value of a top-level element, "" if absent. */
  public static String top(List<Element> elements, String tag) {
    return elements.stream()
        .filter(e -> e.depth() == 0 && e.tag().equals(tag))
        .map(Element::text)
        .findFirst()
        .orElse("");
  }
}
