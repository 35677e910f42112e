package org.strata.dicom.deid;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.strata.dicom.Attributes;
import org.strata.dicom.Sequence;
import org.strata.dicom.Tag;
import org.strata.dicom.Tags;
import org.strata.dicom.VR;

/**
 * The PS3.15 Annex E Basic Application Level Confidentiality Profile, with the options of {@link
 * DeidOption}, applied to a data set in place: every attribute of Table E.1-1 ({@link
 * ProfileTable}) gets its action ({@link Action}), every private attribute and group length is
 * removed, sequences are walked to any depth, and the top level records what was done: Patient
 * Identity Removed (0012,0062) YES, De-identification Method (0012,0063), its Code Sequence
 * (0012,0064) with the CID 7050 codes, Longitudinal Temporal Information Modified (0028,0303).
 *
 * <p>Values are only replaced, never copied: pixel data (bytes, fragments or a reference to its
 * source) stays the object it was. Attributes the table does not list are kept, as the profile says
 * (it lists those that can identify); burned-in text in the pixels is not looked at.
 */
public final class Deidentifier {
  private final Set<DeidOption> options;
  private final UidHasher uids;
  private final ProfileTable table = ProfileTable.standard();

  /**
   * @param options the options in use (may be empty: the Basic Profile alone)
   * @param uidKey the key of the UID hash (at least 16 bytes): one per destination
   */
  public Deidentifier(Set<DeidOption> options, byte[] uidKey) {
    this.options =
        Collections.unmodifiableSet(
            options.isEmpty() ? EnumSet.noneOf(DeidOption.class) : EnumSet.copyOf(options));
    this.uids = new UidHasher(uidKey);
  }

  public Set<DeidOption> options() {
    return options;
  }

  /** The replacement of one UID under this key (what action U writes). */
  public String replaceUid(String uid) {
    return uids.replace(uid);
  }

  /** De-identifies {@code dataset} (a top-level data set, not an item) in place. */
  public void deidentify(Attributes dataset) {
    applyProfile(dataset);
    record(dataset);
  }

  /**
   * Applies the profile's actions to the elements of {@code item} and its sequences, without
   * recording the method (for elements met apart from their data set, e.g. after pixel data).
   */
  public void applyProfile(Attributes item) {
    clean(item);
  }

  private void clean(Attributes item) {
    for (int tag : item.tags()) {
      VR vr = item.vr(tag);
      if (Tags.isGroupLength(tag)) {
        item.remove(tag); // the writer recomputes what is kept
        continue;
      }
      ProfileTable.Row row = table.find(tag);
      if (row == null) {
        recurse(item.getSequence(tag));
        continue;
      }
      switch (Action.of(row, options, vr)) {
        case REMOVE -> item.remove(tag);
        case EMPTY, CLEAN -> item.set(tag, vr, vr == VR.SQ ? new Sequence(item) : null);
        case KEEP -> recurse(item.getSequence(tag));
        case DUMMY -> {
          if (vr == VR.SQ) {
            recurse(item.getSequence(tag));
          } else if (vr == VR.UI) {
            replaceUids(item, tag);
          } else {
            item.set(tag, vr, DummyValues.of(vr));
          }
        }
        case REPLACE_UID -> {
          if (vr == VR.SQ) {
            recurse(item.getSequence(tag));
          } else if (vr == VR.UI) {
            replaceUids(item, tag);
          } else {
            item.set(tag, vr, null); // U on a non-UID value (a malformed VR): nothing to map
          }
        }
      }
    }
  }

  private void recurse(Sequence seq) {
    if (seq != null) {
      for (Attributes item : seq) {
        clean(item);
      }
    }
  }

  private void replaceUids(Attributes item, int tag) {
    String[] values = item.getStrings(tag);
    if (values.length == 0) {
      item.set(tag, VR.UI, null);
      return;
    }
    List<String> mapped = new ArrayList<>(values.length);
    for (String v : values) {
      mapped.add(v.isEmpty() ? "" : uids.replace(v));
    }
    byte[] b = String.join("\\", mapped).getBytes(StandardCharsets.US_ASCII);
    if (b.length % 2 != 0) {
      b = java.util.Arrays.copyOf(b, b.length + 1); // UI pads with NUL
    }
    item.set(tag, VR.UI, b);
  }

  /** PS3.15 E.1.1 items 6-7 and PS3.3 C.7.1.1: what was done, in the object itself. */
  private void record(Attributes ds) {
    ds.setString(Tag.PatientIdentityRemoved, VR.CS, "YES");
    List<String> methods = new ArrayList<>();
    methods.add(DeidOption.BASIC_PROFILE_MEANING);
    Sequence codes = new Sequence(ds);
    addCode(codes, DeidOption.BASIC_PROFILE_CODE, DeidOption.BASIC_PROFILE_MEANING);
    for (DeidOption o : options) {
      methods.add(o.meaning());
      addCode(codes, o.code(), o.meaning());
    }
    ds.setString(Tag.DeidentificationMethod, VR.LO, methods.toArray(String[]::new));
    ds.set(Tag.DeidentificationMethodCodeSequence, VR.SQ, codes);
    // Full dates kept: UNMODIFIED; otherwise the basic profile removed or replaced them.
    ds.setString(
        Tag.LongitudinalTemporalInformationModified,
        VR.CS,
        options.contains(DeidOption.RETAIN_LONGITUDINAL_FULL_DATES) ? "UNMODIFIED" : "REMOVED");
  }

  private static void addCode(Sequence codes, String value, String meaning) {
    Attributes item = codes.addItem();
    item.setString(Tag.CodeValue, VR.SH, value);
    item.setString(Tag.CodingSchemeDesignator, VR.SH, "DCM");
    item.setString(Tag.CodeMeaning, VR.LO, meaning);
  }
}
