package org.strata.dicom.io;

/**
 * One element of a dump, in the shape both dcmdump's output and our parse are reduced to for the
 * comparison.
 *
 * @param depth nesting level (0 at the top)
 * @param tag lower-case "(gggg,eeee)"
 * @param vr the VR as dcmdump writes it ("na" for items, "pi" for fragments)
 * @param length value length in bytes, "u/l", or "-" where it is not compared
 * @param value the value as dcmdump writes it (strings decoded, binary in hex or decimal)
 */
public record DumpLine(int depth, String tag, String vr, String length, String value) {

  @Override
  public String toString() {
    String v =
        value.length() > 160 ? value.substring(0, 160) + "...(" + value.length() + ")" : value;
    return "  ".repeat(depth) + tag + " " + vr + " #" + length + " [" + v + "]";
  }
}
