package org.strata.dicom.net;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.strata.dicom.UID;
import org.strata.dicom.dict.UIDs;

/**
 * What a local AE supports for one SOP class: its role and the transfer syntaxes it takes, in our
 * order of preference (the first one the peer proposed wins).
 */
public record TransferCapability(String sopClassUid, Role role, List<String> transferSyntaxes) {

  /** The local AE's role for the SOP class. */
  public enum Role {
    SCU,
    SCP
  }

  public TransferCapability {
    transferSyntaxes = List.copyOf(transferSyntaxes);
    if (transferSyntaxes.isEmpty()) {
      throw new IllegalArgumentException("no transfer syntax for " + sopClassUid);
    }
  }

  private static final class Known {
    static final List<String> STORAGE_SOP_CLASSES;
    static final List<String> TRANSFER_SYNTAXES;

    static {
      List<String> storage = new ArrayList<>();
      Set<String> ts = new LinkedHashSet<>();
      ts.add(UID.ExplicitVRLittleEndian);
      ts.add(UID.ImplicitVRLittleEndian);
      for (Field f : UID.class.getFields()) {
        if (!Modifier.isStatic(f.getModifiers()) || f.getType() != String.class) {
          continue;
        }
        String uid;
        try {
          uid = (String) f.get(null);
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
        if (UIDs.isStorageSopClass(uid)) {
          storage.add(uid);
        } else if (UIDs.isTransferSyntax(uid)) {
          ts.add(uid);
        }
      }
      STORAGE_SOP_CLASSES = List.copyOf(storage);
      TRANSFER_SYNTAXES = List.copyOf(ts);
    }
  }

  /** Every storage SOP class of the dictionary ({@link UIDs#isStorageSopClass}). */
  public static List<String> storageSopClasses() {
    return Known.STORAGE_SOP_CLASSES;
  }

  /**
   * Every transfer syntax of the dictionary: explicit VR little endian, implicit VR little endian,
   * then the others in dictionary order. Uncompressed first on purpose: when a peer offers both in
   * one context, we never make it compress (possibly lossily) on our behalf.
   */
  public static List<String> allTransferSyntaxes() {
    return Known.TRANSFER_SYNTAXES;
  }

  /** Verification as SCP with the two little endian uncompressed syntaxes. */
  public static TransferCapability verificationScp() {
    return new TransferCapability(
        UID.Verification,
        Role.SCP,
        List.of(UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian));
  }

  /** The Query/Retrieve SOP classes served by {@link QueryRetrieveScp}. */
  public static final List<String> QUERY_RETRIEVE_SOP_CLASSES =
      List.of(
          UID.PatientRootQueryRetrieveInformationModelFind,
          UID.StudyRootQueryRetrieveInformationModelFind,
          UID.PatientRootQueryRetrieveInformationModelMove,
          UID.StudyRootQueryRetrieveInformationModelMove,
          UID.PatientRootQueryRetrieveInformationModelGet,
          UID.StudyRootQueryRetrieveInformationModelGet);

  /**
   * Patient Root and Study Root FIND, MOVE and GET as SCP, with explicit and implicit VR little
   * endian and deflated explicit VR little endian for the identifiers.
   */
  public static List<TransferCapability> queryRetrieveScp() {
    List<TransferCapability> caps = new ArrayList<>();
    for (String sop : QUERY_RETRIEVE_SOP_CLASSES) {
      caps.add(
          new TransferCapability(
              sop,
              Role.SCP,
              List.of(
                  UID.ExplicitVRLittleEndian,
                  UID.ImplicitVRLittleEndian,
                  UID.DeflatedExplicitVRLittleEndian)));
    }
    return caps;
  }

  /**
   * Every storage SOP class in the SCU role with every transfer syntax: what a C-GET SCP needs so
   * that a requestor proposing the SCP role (role selection) gets its storage contexts accepted.
   */
  public static List<TransferCapability> storageScu() {
    List<TransferCapability> caps = new ArrayList<>();
    for (String sop : storageSopClasses()) {
      caps.add(new TransferCapability(sop, Role.SCU, allTransferSyntaxes()));
    }
    return caps;
  }

  /**
   * Storage Commitment Push Model in both roles with explicit and implicit VR little endian: SCP
   * for requests (N-ACTION), SCU so that an SCP opening an association to send its report
   * (N-EVENT-REPORT, proposing the SCP role) is accepted.
   */
  public static List<TransferCapability> storageCommitment() {
    List<String> ts = List.of(UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian);
    return List.of(
        new TransferCapability(UID.StorageCommitmentPushModel, Role.SCP, ts),
        new TransferCapability(UID.StorageCommitmentPushModel, Role.SCU, ts));
  }

  /** Every storage SOP class as SCP, every transfer syntax the toolkit knows. */
  public static List<TransferCapability> storageScp() {
    List<TransferCapability> caps = new ArrayList<>();
    for (String sop : storageSopClasses()) {
      caps.add(new TransferCapability(sop, Role.SCP, allTransferSyntaxes()));
    }
    return caps;
  }
}
