package org.strata.dicom.deid;

import java.util.Set;
import org.strata.dicom.VR;

/**
 * What the engine does to one attribute, resolved from the table's codes (PS3.15 Table E.1-1
 * legend) for the options in use.
 *
 * <p>The compound codes let an implementation choose by the attribute's type in the IOD, which a
 * generic engine does not know: it takes the choice that keeps the object valid whatever the type
 * (X/Z is Z, X/D, X/Z/D and Z/D are D: never leaving a type 1 or 2 attribute out), and each of
 * these removes the original value. X/Z/U* (sequences of references) keeps the sequence and
 * replaces the UIDs inside it through their own rows. Options override the basic code; when two
 * options in use give different codes for one attribute, C (clean) wins over K (keep). C is
 * implemented conservatively as "remove the value": the attribute stays, empty (a sequence without
 * items).
 */
public enum Action {
  /** X: the attribute is removed. */
  REMOVE,
  /** Z: kept with an empty value (a sequence without items). */
  EMPTY,
  /** D: a dummy value of the VR; a sequence is kept and its items de-identified. */
  DUMMY,
  /** K: kept; a sequence's items are still de-identified. */
  KEEP,
  /** C: the value is removed (see the class comment). */
  CLEAN,
  /** U: each UID replaced by its keyed hash; a sequence is kept and its items de-identified. */
  REPLACE_UID;

  /** The action for {@code row} with {@code options} in use, for an element of {@code vr}. */
  public static Action of(ProfileTable.Row row, Set<DeidOption> options, VR vr) {
    boolean clean = false;
    boolean keep = false;
    for (DeidOption o : options) {
      String c = row.code(o.column());
      clean |= c.equals("C");
      keep |= c.equals("K");
    }
    if (clean) {
      return CLEAN;
    }
    if (keep) {
      return KEEP;
    }
    return ofBasic(row.code(ProfileColumn.BASIC), vr);
  }

  /** The Basic Profile's code resolved as described in the class comment. */
  static Action ofBasic(String code, VR vr) {
    return switch (code) {
      case "X" -> REMOVE;
      case "Z", "X/Z" -> EMPTY;
      case "D", "X/D", "X/Z/D", "Z/D" -> DUMMY;
      case "K" -> KEEP;
      case "C" -> CLEAN;
      case "U" -> REPLACE_UID;
      case "X/Z/U*" -> vr == VR.SQ ? KEEP : vr == VR.UI ? REPLACE_UID : EMPTY;
      // An unknown code from a future edition: remove, the safe reading.
      default -> REMOVE;
    };
  }
}
