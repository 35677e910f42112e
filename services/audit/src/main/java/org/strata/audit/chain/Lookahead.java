package org.strata.audit.chain;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An iterator over a source read one element ahead: {@link #advance} returns the next element or
 * null at the end (a cursor over rows, lines of a file).
 */
public abstract class Lookahead<T> implements Iterator<T> {
  private T next;
  private boolean started;

  /** The next element of the source, or null when it is exhausted. */
  protected abstract T advance();

  @Override
  public boolean hasNext() {
    if (!started) {
      next = advance();
      started = true;
    }
    return next != null;
  }

  @Override
  public T next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    T e = next;
    next = advance();
    return e;
  }
}
