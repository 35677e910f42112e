package org.strata.dicom.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.strata.dicom.Attributes;
import org.strata.dicom.Tag;
import org.strata.dicom.UID;
import org.strata.dicom.VR;
import org.strata.dicom.io.DicomOutputStream;

/**
 * A small fixed archive for query/retrieve tests: 3 patients, 4 studies, 7 instances written as
 * Part 10 files (secondary capture, explicit VR little endian), and a test-only C-FIND/retrieve
 * handler with naive matching (single value, '*' and '?' wildcards) at PATIENT, STUDY and IMAGE
 * level. Tests state their expected results literally; this matcher only serves them.
 */
final class QrArchive {
  record Study(
      String patientId,
      String patientName,
      String studyUid,
      String studyDate,
      String description,
      int instances) {}

  static final List<Study> STUDIES =
      List.of(
          new Study("P1", "ALPHA^ONE", "2.25.100.1", "20200101", "CT HEAD", 2),
          new Study("P1", "ALPHA^ONE", "2.25.100.2", "20210315", "CT CHEST", 1),
          new Study("P2", "BETA^TWO", "2.25.100.3", "20220520", "MR KNEE", 3),
          new Study("P3", "GAMMA^THREE", "2.25.100.4", "20230101", "US ABDOMEN", 1));

  final Path dir;

  /** SOP instance UID to file, in archive order. */
  final Map<String, Path> files = new LinkedHashMap<>();

  final List<Attributes> instances = new ArrayList<>();

  final AtomicInteger streamsClosed = new AtomicInteger();

  QrArchive(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
    for (Study s : STUDIES) {
      for (int i = 1; i <= s.instances(); i++) {
        String iuid = s.studyUid() + ".1." + i;
        Attributes ds = new Attributes();
        ds.setString(Tag.SOPClassUID, VR.UI, TestFiles.SC);
        ds.setString(Tag.SOPInstanceUID, VR.UI, iuid);
        ds.setString(Tag.StudyDate, VR.DA, s.studyDate());
        ds.setString(Tag.Modality, VR.CS, "OT");
        ds.setString(Tag.StudyDescription, VR.LO, s.description());
        ds.setString(Tag.PatientName, VR.PN, s.patientName());
        ds.setString(Tag.PatientID, VR.LO, s.patientId());
        ds.setString(Tag.StudyInstanceUID, VR.UI, s.studyUid());
        ds.setString(Tag.SeriesInstanceUID, VR.UI, s.studyUid() + ".1");
        ds.setString(Tag.InstanceNumber, VR.IS, Integer.toString(i));
        ds.set(Tag.SamplesPerPixel, VR.US, new byte[] {1, 0});
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.set(Tag.Rows, VR.US, new byte[] {4, 0});
        ds.set(Tag.Columns, VR.US, new byte[] {4, 0});
        ds.set(Tag.BitsAllocated, VR.US, new byte[] {8, 0});
        ds.set(Tag.BitsStored, VR.US, new byte[] {8, 0});
        ds.set(Tag.HighBit, VR.US, new byte[] {7, 0});
        ds.set(Tag.PixelRepresentation, VR.US, new byte[] {0, 0});
        byte[] pixels = new byte[16];
        for (int p = 0; p < 16; p++) {
          pixels[p] = (byte) (files.size() * 16 + p);
        }
        ds.set(Tag.PixelData, VR.OB, pixels);
        Path f = dir.resolve(iuid + ".dcm");
        DicomOutputStream.writeFile(f, null, ds, UID.ExplicitVRLittleEndian);
        files.put(iuid, f);
        instances.add(ds);
      }
    }
  }

  /** The C-FIND handler: one response per matching patient, study or instance. */
  CFindHandler findHandler() {
    return (rq, keys) -> {
      String level = keys.getString(Tag.QueryRetrieveLevel);
      if (level == null) {
        throw new DimseException(Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS, "no level");
      }
      List<Attributes> matches = match(level, keys);
      return matches.stream()
          .map(m -> CFindHandler.Match.of(response(keys, m, level)))
          .onClose(streamsClosed::incrementAndGet);
    };
  }

  /** The retrieve handler: the instances of the matching patients, studies or instances. */
  RetrieveHandler retrieveHandler() {
    return (rq, keys) -> {
      String level = keys.getString(Tag.QueryRetrieveLevel);
      if (level == null) {
        throw new DimseException(Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS, "no level");
      }
      List<RetrieveHandler.Instance> out = new ArrayList<>();
      for (Attributes ds : instances) {
        if (matches(ds, keys, level)) {
          out.add(RetrieveHandler.Instance.of(Part10File.read(files.get(uid(ds)))));
        }
      }
      return out;
    };
  }

  private static String uid(Attributes ds) {
    return ds.getString(Tag.SOPInstanceUID);
  }

  List<Attributes> match(String level, Attributes keys) throws DimseException {
    int uniqueTag =
        switch (level) {
          case "PATIENT" -> Tag.PatientID;
          case "STUDY" -> Tag.StudyInstanceUID;
          case "IMAGE" -> Tag.SOPInstanceUID;
          default ->
              throw new DimseException(
                  Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS, "level not supported");
        };
    Map<String, Attributes> byUnique = new LinkedHashMap<>();
    for (Attributes ds : instances) {
      if (matches(ds, keys, level)) {
        byUnique.putIfAbsent(ds.getString(uniqueTag), ds);
      }
    }
    return List.copyOf(byUnique.values());
  }

  private static boolean matches(Attributes ds, Attributes keys, String level) {
    int[] tags =
        switch (level) {
          case "PATIENT" -> new int[] {Tag.PatientID, Tag.PatientName};
          case "STUDY" ->
              new int[] {
                Tag.PatientID,
                Tag.PatientName,
                Tag.StudyInstanceUID,
                Tag.StudyDate,
                Tag.StudyDescription
              };
          default -> new int[] {Tag.PatientID, Tag.StudyInstanceUID, Tag.SOPInstanceUID};
        };
    for (int tag : tags) {
      String key = keys.getString(tag);
      if (key == null || key.isEmpty() || key.equals("*")) {
        continue;
      }
      String value = ds.getString(tag);
      if (value == null || !wildcard(key).matcher(value).matches()) {
        return false;
      }
    }
    return true;
  }

  private static Pattern wildcard(String key) {
    StringBuilder re = new StringBuilder();
    for (char c : key.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }

  /** The requested keys with this match's values (empty when the archive has none). */
  private static Attributes response(Attributes keys, Attributes ds, String level) {
    Attributes rsp = new Attributes();
    for (int tag : keys.tags()) {
      if (tag == Tag.QueryRetrieveLevel) {
        rsp.setString(tag, VR.CS, level);
      } else if (ds.contains(tag)) {
        rsp.set(tag, ds.vr(tag), ds.value(tag));
      } else {
        rsp.set(tag, keys.vr(tag), null);
      }
    }
    return rsp;
  }

  /** An endless C-FIND: matches until cancelled (only a C-CANCEL ends it). */
  CFindHandler endlessHandler() {
    return (rq, keys) -> {
      AtomicInteger n = new AtomicInteger();
      return Stream.generate(
              () -> {
                Attributes a = new Attributes();
                a.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
                a.setString(Tag.StudyInstanceUID, VR.UI, "2.25.999." + n.incrementAndGet());
                return CFindHandler.Match.of(a);
              })
          .onClose(streamsClosed::incrementAndGet);
    };
  }

  /** A server with the archive AE "QRSCP" serving this archive. */
  DicomServer server(CFindHandler find, MoveDestinations destinations) throws IOException {
    DimseRegistry registry =
        new DimseRegistry()
            .registerFind(find)
            .registerMove(retrieveHandler(), destinations, DicomClient.Options.DEFAULTS)
            .registerGet(retrieveHandler());
    return DicomServer.builder()
        .bind("127.0.0.1", 0)
        .archiveAE("QRSCP")
        .registry(registry)
        .build()
        .start();
  }
}
