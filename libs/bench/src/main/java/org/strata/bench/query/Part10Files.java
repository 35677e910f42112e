package org.strata.bench.query;

import static org.strata.bench.Part10Writer.str;

import java.io.ByteArrayOutputStream;
import java.time.format.DateTimeFormatter;
import org.strata.bench.Part10Writer;

/**
 * Part 10 files of a {@link StudyPopulation} study, written by hand (explicit VR little endian,
 * UTF-8 text, 16-bit monochrome pixels): the same files go to Strata and to Orthanc.
 */
final class Part10Files {
  private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;
  private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss");

  private Part10Files() {}

  /** Instance {@code instance} of series {@code k} of {@code study}, {@code pixels} as given. */
  static byte[] instance(
      StudyPopulation.Study study, int k, int instance, int rows, int columns, byte[] pixels) {
    String sop = study.sopUid(k, instance);
    ByteArrayOutputStream ds = new ByteArrayOutputStream(pixels.length + 1024);
    str(ds, 0x00080005, "CS", "ISO_IR 192");
    str(ds, 0x00080016, "UI", study.sopClass());
    str(ds, 0x00080018, "UI", sop);
    str(ds, 0x00080020, "DA", study.date().format(DA));
    str(ds, 0x00080030, "TM", study.time().format(TM));
    str(ds, 0x00080050, "SH", study.accession());
    str(ds, 0x00080060, "CS", study.modality());
    str(ds, 0x00080090, "PN", study.referringPhysician());
    str(ds, 0x00081030, "LO", study.description());
    str(ds, 0x0008103E, "LO", study.description() + " " + k);
    str(ds, 0x00100010, "PN", study.patientName());
    str(ds, 0x00100020, "LO", study.patientId());
    str(ds, 0x00100021, "LO", StudyPopulation.ISSUER);
    str(ds, 0x00100030, "DA", study.birthDate().format(DA));
    str(ds, 0x00100040, "CS", study.sex());
    str(ds, 0x00180015, "CS", study.bodyPart());
    str(ds, 0x0020000D, "UI", study.studyUid());
    str(ds, 0x0020000E, "UI", study.seriesUid(k));
    str(ds, 0x00200010, "SH", "S" + study.index());
    str(ds, 0x00200011, "IS", Integer.toString(k));
    str(ds, 0x00200013, "IS", Integer.toString(instance));
    Part10Writer.monochrome16(ds, rows, columns, pixels);

    return Part10Writer.file(study.sopClass(), sop, ds);
  }
}
