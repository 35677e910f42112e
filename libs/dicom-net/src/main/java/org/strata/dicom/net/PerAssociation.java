package org.strata.dicom.net;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A value made once for each accepted association (e.g. who called) and kept until it ends: a
 * server {@link AssociationListener} whose {@link #get} any handler on the association can call.
 */
public final class PerAssociation<T> implements AssociationListener {
  private final Function<Association, T> make;
  private final Map<Association, T> values = new ConcurrentHashMap<>();

  public PerAssociation(Function<Association, T> make) {
    this.make = make;
  }

  @Override
  public void accepted(Association association) {
    values.put(association, make.apply(association));
  }

  @Override
  public void ended(Association association) {
    values.remove(association);
  }

  /** The association's value; null before it was accepted or after it ended. */
  public T get(Association association) {
    return values.get(association);
  }

  /** Associations holding a value now. */
  public int size() {
    return values.size();
  }
}
