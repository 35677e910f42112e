package org.strata.dicom.deid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.strata.dicom.Attributes;
import org.strata.dicom.Sequence;
import org.strata.dicom.Tag;
import org.strata.dicom.Tags;
import org.strata.dicom.VR;
import org.strata.dicom.dict.ElementDictionary;
import org.strata.dicom.io.DicomOutputStream;
import org.strata.dicom.io.WriteOptions;

/**
 * Tag by tag against PS3.15 Table E.1-1: a data set holding every attribute of the table with a
 * value is de-identified, and each attribute is checked against what its code in the table allows
 * (read from the resource by {@link ProfileRows}, not through the engine): X absent, Z present and
 * empty, D present with another value, K unchanged, U the keyed hash computed here, C the value
 * gone; the compound codes accept any of their parts. Rows of groups 0000 and 0002 (command and
 * file meta elements, never in a data set) are left to {@link DeidentifyingCopyTest}.
 */
class DeidentifierTableTest {
  static final byte[] KEY = "destination-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final String NESTED_NAME = "ONESTEDNAME";
  private static final String NESTED_UID = "1.2.826.0.1.3680043.10.999";

  static Stream<Arguments> optionSets() {
    List<Arguments> sets = new ArrayList<>();
    sets.add(Arguments.of(EnumSet.noneOf(DeidOption.class)));
    for (DeidOption o : DeidOption.values()) {
      sets.add(Arguments.of(EnumSet.of(o)));
    }
    sets.add(Arguments.of(EnumSet.allOf(DeidOption.class)));
    return sets.stream();
  }

  @ParameterizedTest
  @MethodSource("optionSets")
  void everyAttributeOfTheTableGetsWhatItsCodeAllows(Set<DeidOption> options) throws Exception {
    List<ProfileRows> rows = ProfileRows.read();
    Attributes ds = new Attributes();
    Map<Integer, ProfileRows> byTag = new HashMap<>();
    Map<Integer, Object> originals = new HashMap<>();
    for (ProfileRows row : rows) {
      if (row.isPrivateRow()) {
        continue;
      }
      int tag = row.concreteTag();
      int group = Tags.group(tag);
      if (group == 0x0000 || group == 0x0002) {
        continue;
      }
      VR vr = vrOf(tag, row.name());
      Object value = original(ds, tag, vr);
      ds.set(tag, vr, value);
      byTag.put(tag, row);
      originals.put(tag, value instanceof byte[] b ? b.clone() : value);
    }
    ds.setString(0x00090010, VR.LO, "ACME 1.0");
    ds.setString(0x00091001, VR.LO, "OPRIVATE");
    assertTrue(byTag.size() > 600, "rows exercised: " + byTag.size());

    new Deidentifier(options, KEY).deidentify(ds);

    List<String> failures = new ArrayList<>();
    for (var e : byTag.entrySet()) {
      int tag = e.getKey();
      ProfileRows row = e.getValue();
      String code = expectedCode(row, options);
      String problem = check(ds, tag, code, originals.get(tag));
      if (problem != null) {
        failures.add(Tags.toString(tag) + " " + row.name() + " [" + code + "]: " + problem);
      }
    }
    assertFalse(ds.contains(0x00090010), "private creator kept");
    assertFalse(ds.contains(0x00091001), "private element kept");
    assertEquals(List.of(), failures);

    // Nothing of a value the profile does not keep is left anywhere in the encoded object.
    String encoded =
        new String(
            DicomOutputStream.encode(ds, "1.2.840.10008.1.2.1", WriteOptions.DEFAULTS),
            StandardCharsets.ISO_8859_1);
    for (var e : byTag.entrySet()) {
      String code = expectedCode(e.getValue(), options);
      if (!code.equals("K")
          && !code.equals("X/Z/U*")
          && isMarkedText(e.getKey(), e.getValue().name())) {
        assertFalse(encoded.contains(marker(e.getKey())), "left: " + e.getValue().name());
      }
    }
    assertFalse(encoded.contains("OPRIVATE"));

    assertEquals("YES", ds.getString(Tag.PatientIdentityRemoved));
    Set<String> codes = new TreeSet<>();
    for (Attributes item : ds.getItems(Tag.DeidentificationMethodCodeSequence)) {
      assertEquals("DCM", item.getString(Tag.CodingSchemeDesignator));
      codes.add(item.getString(Tag.CodeValue));
    }
    Set<String> expected = new TreeSet<>(Set.of("113100"));
    options.forEach(o -> expected.add(CID_7050.get(o)));
    assertEquals(expected, codes);
    assertEquals(
        options.contains(DeidOption.RETAIN_LONGITUDINAL_FULL_DATES) ? "UNMODIFIED" : "REMOVED",
        ds.getString(Tag.LongitudinalTemporalInformationModified));
  }

  @Test
  void uidsMapTheSameWayUnderOneKeyAndDifferentlyUnderAnother() {
    Deidentifier a = new Deidentifier(Set.of(), KEY);
    Deidentifier again = new Deidentifier(Set.of(), KEY);
    Deidentifier other = new Deidentifier(Set.of(), "another-destination-key-0123456".getBytes());
    String study = "1.2.826.0.1.3680043.10.1";
    assertEquals(a.replaceUid(study), again.replaceUid(study));
    assertEquals(hmacUid(study), a.replaceUid(study));
    assertNotEquals(a.replaceUid(study), other.replaceUid(study));
    assertTrue(a.replaceUid(study).length() <= 64);
  }

  /** PS3.16 CID 7050, as the brief and the standard give them (not read from the engine). */
  private static final Map<DeidOption, String> CID_7050 =
      Map.of(
          DeidOption.RETAIN_LONGITUDINAL_FULL_DATES, "113106",
          DeidOption.RETAIN_PATIENT_CHARACTERISTICS, "113108",
          DeidOption.RETAIN_DEVICE_IDENTITY, "113109",
          DeidOption.RETAIN_UIDS, "113110",
          DeidOption.CLEAN_DESCRIPTORS, "113105",
          DeidOption.RETAIN_INSTITUTION_IDENTITY, "113112");

  private static final Map<DeidOption, String> COLUMN =
      Map.of(
          DeidOption.RETAIN_LONGITUDINAL_FULL_DATES, "retainLongitudinalFullDates",
          DeidOption.RETAIN_PATIENT_CHARACTERISTICS, "retainPatientCharacteristics",
          DeidOption.RETAIN_DEVICE_IDENTITY, "retainDeviceIdentity",
          DeidOption.RETAIN_UIDS, "retainUids",
          DeidOption.CLEAN_DESCRIPTORS, "cleanDescriptors",
          DeidOption.RETAIN_INSTITUTION_IDENTITY, "retainInstitutionIdentity");

  /** The code in force: an option's column when it has one (C before K), else the basic one. */
  static String expectedCode(ProfileRows row, Set<DeidOption> options) {
    List<String> fromOptions = new ArrayList<>();
    for (DeidOption o : options) {
      String c = row.codes().get(COLUMN.get(o));
      if (!c.isEmpty()) {
        fromOptions.add(c);
      }
    }
    if (fromOptions.contains("C")) {
      return "C";
    }
    if (fromOptions.contains("K")) {
      return "K";
    }
    return row.codes().get("basic");
  }

  /** Null when the attribute after de-identification is one that {@code code} allows. */
  private static String check(Attributes ds, int tag, String code, Object original) {
    boolean present = ds.contains(tag);
    Object now = ds.value(tag);
    boolean empty = present && (now == null || now instanceof Sequence s && s.isEmpty());
    boolean changed =
        present && !empty && !(now instanceof byte[] b && Arrays.equals(b, (byte[]) original));
    boolean nestedClean = now instanceof Sequence s && s.stream().allMatch(i -> nestedClean(i));
    boolean dummy = now instanceof Sequence ? nestedClean && !s(now).isEmpty() : changed;
    boolean uidHashed =
        present
            && now instanceof byte[] b
            && new String(b, StandardCharsets.US_ASCII)
                .replace("\0", "")
                .equals(
                    hmacUid(
                        new String((byte[]) original, StandardCharsets.US_ASCII)
                            .replace("\0", "")));
    boolean ok =
        switch (code) {
          case "X" -> !present;
          case "Z" -> empty;
          case "D" -> dummy;
          case "X/Z" -> !present || empty;
          case "X/D" -> !present || dummy;
          case "X/Z/D" -> !present || empty || dummy;
          case "Z/D" -> empty || dummy;
          case "U" -> original instanceof byte[] ? uidHashed : nestedClean;
          case "X/Z/U*" -> !present || empty || nestedClean;
          case "K" ->
              original instanceof byte[] o
                  ? now instanceof byte[] b && Arrays.equals(o, b)
                  : present && nestedClean;
          case "C" -> !present || empty || changed || nestedClean;
          default -> false;
        };
    return ok ? null : (present ? (empty ? "empty" : "value " + describe(now)) : "absent");
  }

  private static Sequence s(Object o) {
    return (Sequence) o;
  }

  /** The nested item's Patient's Name (Z) emptied and its Referenced SOP Instance UID hashed. */
  private static boolean nestedClean(Attributes item) {
    byte[] name = item.getBytes(Tag.PatientName);
    String uid = item.getString(Tag.ReferencedSOPInstanceUID);
    return name != null
        && name.length == 0
        && !item.contains(0x00091001)
        && (uid == null || uid.equals(hmacUid(NESTED_UID)) || uid.equals(NESTED_UID));
  }

  private static String describe(Object v) {
    return v instanceof byte[] b ? "'" + new String(b, StandardCharsets.ISO_8859_1) + "'" : "" + v;
  }

  static String hmacUid(String uid) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
      byte[] h = mac.doFinal(uid.strip().getBytes(StandardCharsets.US_ASCII));
      return "2.25." + new BigInteger(1, Arrays.copyOf(h, 16));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static VR vrOf(int tag, String name) {
    int group = Tags.group(tag);
    if ((group & 0xFF00) == 0x5000 || tag == 0x60003000) {
      return VR.OW;
    }
    VR vr = ElementDictionary.standard().vrOf(tag);
    if (vr != null && vr != VR.UN) {
      return vr;
    }
    // Attributes newer than the dictionary's edition (2022a): by the name the table gives.
    return name.endsWith("UID") ? VR.UI : name.endsWith("Sequence") ? VR.SQ : VR.LO;
  }

  private static boolean isMarkedText(int tag, String name) {
    VR vr = vrOf(tag, name);
    return switch (vr) {
      case AE, CS, LO, LT, PN, SH, ST, UC, UT -> true;
      default -> false;
    };
  }

  /** A value naming its own tag, so that a survivor shows where it came from. */
  private static String marker(int tag) {
    return String.format("O%08X", tag);
  }

  private static Object original(Attributes ds, int tag, VR vr) {
    String text =
        switch (vr) {
          case AE, CS, LO, LT, PN, SH, ST, UC, UT -> marker(tag);
          case DA -> "20240102";
          case TM -> "101112";
          case DT -> "20240102101112";
          case AS -> "042Y";
          case IS -> "7";
          case DS -> "7.5";
          case UI -> "1.2.826.0.1.3680043.10.1." + Integer.toUnsignedString(tag);
          case UR -> "http://o.example/" + marker(tag);
          default -> null;
        };
    if (text != null) {
      byte[] b = text.getBytes(StandardCharsets.US_ASCII);
      return b.length % 2 == 0 ? b : Arrays.copyOf(b, b.length + 1);
    }
    if (vr == VR.SQ) {
      Sequence seq = new Sequence(ds);
      Attributes item = seq.addItem();
      item.setString(Tag.PatientName, VR.PN, NESTED_NAME);
      item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, NESTED_UID);
      item.setString(0x00090010, VR.LO, "ACME 1.0");
      item.setString(0x00091001, VR.LO, "OPRIVATE");
      return seq;
    }
    return switch (vr) {
      case US, SS, OB, OW, UN -> new byte[] {1, 2};
      case FD, OD, OV, SV, UV -> new byte[] {1, 2, 3, 4, 5, 6, 7, 8};
      default -> new byte[] {1, 2, 3, 4};
    };
  }

  @Test
  void everyRowOfTheResourceIsParsed() throws Exception {
    List<ProfileRows> rows = ProfileRows.read();
    // PS3.15 2024b Table E.1-1 has 621 rows (620 tags or tag patterns and the private row).
    assertEquals(621, rows.size());
    assertEquals(620, ProfileTable.standard().rows().size());
    for (ProfileRows row : rows) {
      if (row.isPrivateRow()) {
        assertEquals("X", ProfileTable.standard().privateRow().code(ProfileColumn.BASIC));
        continue;
      }
      var parsed = ProfileTable.standard().find(row.concreteTag());
      assertNotNull(parsed, row.name());
      for (ProfileColumn c : ProfileColumn.values()) {
        assertEquals(row.codes().get(c.header()), parsed.code(c), row.name() + " " + c);
      }
    }
    // A few rows as the standard prints them.
    assertEquals("Z", ProfileTable.standard().find(Tag.PatientName).code(ProfileColumn.BASIC));
    assertEquals("U", ProfileTable.standard().find(Tag.StudyInstanceUID).code(ProfileColumn.BASIC));
    assertEquals("X", ProfileTable.standard().find(0x60023000).code(ProfileColumn.BASIC));
    assertEquals("X", ProfileTable.standard().find(0x501E0010).code(ProfileColumn.BASIC));
  }

  @Test
  void dataAfterTheTableKeepsTheirBytes() {
    // An attribute no row lists (Rows) is kept as it was: the profile lists what can identify.
    Attributes ds = new Attributes();
    ds.set(Tag.Rows, VR.US, new byte[] {0, 2});
    new Deidentifier(Set.of(), KEY).deidentify(ds);
    assertArrayEquals(new byte[] {0, 2}, ds.getBytes(Tag.Rows));
  }
}
