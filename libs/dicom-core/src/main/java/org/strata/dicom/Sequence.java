package org.strata.dicom;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;

/** The value of an SQ element: items that are data sets of their own, nested in a parent. */
public final class Sequence extends AbstractList<Attributes> {

  private final Attributes parent;
  private final List<Attributes> items = new ArrayList<>();

  public Sequence(Attributes parent) {
    this.parent = parent;
  }

  /** The data set holding this sequence: its Specific Character Set applies to the items. */
  public Attributes parent() {
    return parent;
  }

  /** Appends a new empty item that inherits the parent's byte order and character set. */
  public Attributes addItem() {
    return addItem(parent.bigEndian());
  }

  /**
   * Appends a new empty item with its own byte order: items of a UN sequence of undefined length
   * are implicit VR little endian whatever the transfer syntax (PS3.5 6.2.2, CP-246).
   */
  public Attributes addItem(boolean bigEndian) {
    Attributes item = new Attributes(bigEndian, parent);
    items.add(item);
    return item;
  }

  @Override
  public Attributes get(int index) {
    return items.get(index);
  }

  @Override
  public int size() {
    return items.size();
  }
}
