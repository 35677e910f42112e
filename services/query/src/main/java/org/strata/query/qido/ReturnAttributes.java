package org.strata.query.qido;

import java.util.Set;
import java.util.TreeSet;
import org.strata.dicom.Tag;

/**
 * Which attributes a search returns (PS3.18 10.6.3.3): the level's defaults (Tables 10.6.3-3 to
 * -5), the defaults of the levels above when the path does not fix them ({@code /series} returns
 * the study's attributes too, {@code /studies/{study}/instances} the series'), the matching keys,
 * and {@code includefield}.
 *
 * @param tags the tags to return, in tag order
 * @param all {@code includefield=all}: also every attribute the index has for the level
 * @param needsInstanceAttributes whether some tag can only come from an instance's attributes
 * @param otherPatientIds whether rows carry the identities of linked patients:
 *     OtherPatientIDsSequence asked for (returned, empty if there are none), or {@code all} or a
 *     search by Patient ID (returned when there are some)
 */
record ReturnAttributes(
    Set<Integer> tags, boolean all, boolean needsInstanceAttributes, boolean otherPatientIds) {

  static final int[] STUDY_DEFAULTS = {
    Tag.SpecificCharacterSet,
    Tag.StudyDate,
    Tag.StudyTime,
    Tag.AccessionNumber,
    Tag.InstanceAvailability,
    Tag.ModalitiesInStudy,
    Tag.ReferringPhysicianName,
    Tag.RetrieveURL,
    Tag.PatientName,
    Tag.PatientID,
    Tag.PatientBirthDate,
    Tag.PatientSex,
    Tag.StudyInstanceUID,
    Tag.StudyID,
    Tag.NumberOfStudyRelatedSeries,
    Tag.NumberOfStudyRelatedInstances
  };
  static final int[] SERIES_DEFAULTS = {
    Tag.SpecificCharacterSet,
    Tag.Modality,
    Tag.SeriesDescription,
    Tag.RetrieveURL,
    Tag.StudyInstanceUID,
    Tag.SeriesInstanceUID,
    Tag.SeriesNumber,
    Tag.NumberOfSeriesRelatedInstances,
    Tag.PerformedProcedureStepStartDate,
    Tag.PerformedProcedureStepStartTime
  };
  static final int[] INSTANCE_DEFAULTS = {
    Tag.SpecificCharacterSet,
    Tag.SOPClassUID,
    Tag.SOPInstanceUID,
    Tag.InstanceAvailability,
    Tag.RetrieveURL,
    Tag.StudyInstanceUID,
    Tag.SeriesInstanceUID,
    Tag.InstanceNumber,
    Tag.Rows,
    Tag.Columns,
    Tag.BitsAllocated,
    Tag.NumberOfFrames
  };

  /** Attributes the service computes rather than reads. */
  static boolean computed(int tag) {
    return tag == Tag.SpecificCharacterSet
        || tag == Tag.InstanceAvailability
        || tag == Tag.RetrieveURL
        || tag == Tag.OtherPatientIDsSequence;
  }

  static ReturnAttributes of(QidoRequest r) {
    Set<Integer> tags = new TreeSet<>(Integer::compareUnsigned);
    switch (r.level()) {
      case STUDY -> add(tags, STUDY_DEFAULTS);
      case SERIES -> {
        add(tags, SERIES_DEFAULTS);
        if (r.studyUid() == null) {
          add(tags, STUDY_DEFAULTS);
        }
      }
      case INSTANCE -> {
        add(tags, INSTANCE_DEFAULTS);
        if (r.seriesUid() == null) {
          add(tags, SERIES_DEFAULTS);
        }
        if (r.studyUid() == null) {
          add(tags, STUDY_DEFAULTS);
        }
      }
    }
    r.matches().keySet().forEach(a -> tags.add(a.tag()));
    tags.addAll(r.includeFields());
    if (r.includeAll()) {
      for (QidoAttribute a : QidoAttribute.all()) {
        if (r.level().atOrBelow(a.level())) {
          tags.add(a.tag());
        }
      }
    }
    boolean needsInstance = false;
    for (int tag : r.includeFields()) {
      if (!computed(tag) && QidoAttribute.of(tag) == null) {
        needsInstance = true;
      }
    }
    boolean otherIds =
        tags.contains(Tag.OtherPatientIDsSequence) || r.includeAll() || QidoQuery.byPatientId(r);
    return new ReturnAttributes(tags, r.includeAll(), needsInstance, otherIds);
  }

  private static void add(Set<Integer> tags, int[] more) {
    for (int t : more) {
      tags.add(t);
    }
  }
}
