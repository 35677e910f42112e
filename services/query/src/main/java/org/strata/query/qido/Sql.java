package org.strata.query.qido;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A parameterised SQL statement under construction. SQL text comes only from constants of this
 * package (column expressions of {@link QidoAttribute}, fixed fragments); every value of a request
 * is a bind parameter ({@code $n}). A {@code ?} in a fragment marks where the next value goes, so a
 * value can never become SQL text: there is no method that appends a value to the text.
 */
final class Sql {
  private final StringBuilder text = new StringBuilder();
  private final List<Object> params = new ArrayList<>();

  /** Appends constant SQL; each {@code ?} is replaced by the placeholder of the next value. */
  Sql append(String fragment, Object... values) {
    int next = 0;
    for (int i = 0; i < fragment.length(); i++) {
      char c = fragment.charAt(i);
      if (c == '?') {
        if (next >= values.length) {
          throw new IllegalArgumentException("more placeholders than values in: " + fragment);
        }
        params.add(values[next++]);
        text.append('$').append(params.size());
      } else {
        text.append(c);
      }
    }
    if (next != values.length) {
      throw new IllegalArgumentException("more values than placeholders in: " + fragment);
    }
    return this;
  }

  /** Appends {@code " and " + condition} with its values. */
  Sql and(String condition, Object... values) {
    text.append(" and ");
    return append(condition, values);
  }

  /**
   * {@code before + inner + after} as one statement: {@code inner}'s values keep their places, then
   * {@code after}'s. {@code before} is constant SQL without placeholders.
   */
  static Sql around(String before, Sql inner, String after, Object... afterValues) {
    if (before.indexOf('?') >= 0) {
      throw new IllegalArgumentException("no placeholders before the inner statement: " + before);
    }
    Sql sql = new Sql();
    sql.text.append(before).append(inner.text);
    sql.params.addAll(inner.params);
    return sql.append(after, afterValues);
  }

  String text() {
    return text.toString();
  }

  List<Object> params() {
    return Collections.unmodifiableList(params);
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
