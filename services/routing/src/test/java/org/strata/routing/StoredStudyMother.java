package org.strata.routing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.strata.dicom.Attributes;
import org.strata.dicom.Tag;
import org.strata.dicom.UID;
import org.strata.dicom.VR;
import org.strata.dicom.io.DicomOutputStream;
import org.strata.events.InstanceStored;
import org.strata.events.ObjectLocation;
import org.strata.storage.ObjectKeys;
import org.strata.storage.ObjectStore;

/**
 * A study as ingest leaves it: small Part 10 objects (explicit VR little endian, a few KiB of pixel
 * data) in S3 under ingest's key layout, and their InstanceStored events with the indexed
 * attributes.
 */
final class StoredStudyMother {
  String tenant = "local";
  String modality = "CT";
  String callingAe = "CT01";
  String studyUid = "2.25." + Long.toUnsignedString(UUID.randomUUID().getMostSignificantBits());
  int instances = 3;
  int pixelBytes = 4096;

  /**
   * With what a de-identification must take out: the patient's name, ID and birth date, an
   * institution, an operator, a private element, and (from the second instance on) a Referenced
   * Image Sequence pointing at the first instance.
   */
  boolean identifying;

  /**
   * Stored RLE Lossless: a 4 x 4 8-bit MONOCHROME2 image whose decoded pixels are {@link
   * #rlePixels(int)} (instead of explicit VR little endian with {@code pixelBytes} of pixel data).
   */
  boolean rle;

  /** The decoded pixels of instance {@code i} (from 1) of an {@link #rle} study. */
  static byte[] rlePixels(int i) {
    byte[] pixels = new byte[16];
    for (int b = 0; b < pixels.length; b++) {
      pixels[b] = (byte) (b * 7 + i);
    }
    return pixels;
  }

  /** The stored objects by SOP Instance UID, in order, with their events. */
  record Stored(Map<String, byte[]> objects, List<InstanceStored> events) {

    /** A job of every instance, as a rule or a manual export makes it. */
    org.strata.events.RoutingJob job(String destination) {
      InstanceStored first = events.get(0);
      return org.strata.events.RoutingJob.builder()
          .eventId(UUID.randomUUID().toString())
          .occurredAt(Instant.now())
          .tenant(first.tenant())
          .jobId(UUID.randomUUID().toString())
          .destination(destination)
          .priority(org.strata.events.RoutingJob.Priority.ROUTINE)
          .studyInstanceUid(first.studyInstanceUid())
          .instances(
              events.stream()
                  .map(
                      e ->
                          new org.strata.events.RoutingJob.Instance(
                              e.seriesInstanceUid(),
                              e.sopInstanceUid(),
                              e.sopClassUid(),
                              e.transferSyntaxUid(),
                              e.objectLocation().bucket(),
                              e.objectLocation().key()))
                  .toList())
          .patientId(first.patientId())
          .build();
    }

    /** Puts {@code job}'s record on its queue topic, as routing does. */
    static void enqueue(String bootstrap, org.strata.events.RoutingJob job) throws Exception {
      java.util.Properties p = new java.util.Properties();
      p.put("bootstrap.servers", bootstrap);
      p.put("acks", "all");
      try (var producer =
          new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(
              p,
              new org.apache.kafka.common.serialization.StringSerializer(),
              new org.apache.kafka.common.serialization.ByteArraySerializer())) {
        producer
            .send(
                new org.apache.kafka.clients.producer.ProducerRecord<>(
                    org.strata.events.Topics.ROUTING_JOBS_ROUTINE.name(),
                    job.destination(),
                    org.strata.events.EventCodec.encode(job)))
            .get();
      }
    }
  }

  Stored store(ObjectStore s3) throws Exception {
    String series = studyUid + ".1";
    Map<String, byte[]> objects = new LinkedHashMap<>();
    List<InstanceStored> events = new ArrayList<>();
    String sopClass = modality.equals("MR") ? UID.MRImageStorage : UID.CTImageStorage;
    for (int i = 1; i <= instances; i++) {
      String sop = series + "." + i;
      Attributes ds = new Attributes();
      ds.setString(Tag.SOPClassUID, VR.UI, sopClass);
      ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
      ds.setString(Tag.StudyDate, VR.DA, "20261207");
      ds.setString(Tag.Modality, VR.CS, modality);
      ds.setString(Tag.StudyDescription, VR.LO, "ROUTING TEST");
      ds.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
      ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
      ds.setString(Tag.InstanceNumber, VR.IS, String.valueOf(i));
      if (identifying) {
        addIdentifying(ds, series, i);
      }
      String syntax = rle ? UID.RLELossless : UID.ExplicitVRLittleEndian;
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DicomOutputStream out = new DicomOutputStream(bytes, syntax)) {
        if (rle) {
          writeRle(out, ds, i);
        } else {
          byte[] pixels = new byte[pixelBytes];
          for (int b = 0; b < pixels.length; b++) {
            pixels[b] = (byte) (b * 7 + i);
          }
          ds.set(Tag.PixelData, VR.OW, pixels);
          out.writeFileMetaInformation(DicomOutputStream.fileMetaInformation(ds, null, syntax));
          out.writeDataset(ds);
        }
      }
      byte[] object = bytes.toByteArray();
      String key = ObjectKeys.instance(tenant, studyUid, series, sop, 1);
      s3.put(key, new ByteArrayInputStream(object), "application/dicom", Map.of());
      objects.put(sop, object);
      String json =
          "{\"00080060\":{\"vr\":\"CS\",\"Value\":[\""
              + modality
              + "\"]},\"00081030\":{\"vr\":\"LO\",\"Value\":[\"ROUTING TEST\"]}}";
      events.add(
          new InstanceStored(
              UUID.randomUUID().toString(),
              Instant.now(),
              tenant,
              studyUid,
              series,
              sop,
              sopClass,
              syntax,
              "PID-1",
              null,
              null,
              modality,
              "20261207",
              new ObjectLocation(
                  s3.bucket(),
                  key,
                  object.length,
                  HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(object)),
                  null,
                  null),
              new InstanceStored.Source(
                  InstanceStored.Channel.DIMSE, callingAe, "STRATA", "127.0.0.1", null),
              1,
              new com.fasterxml.jackson.databind.ObjectMapper().readTree(json)));
    }
    return new Stored(objects, events);
  }

  /**
   * The image attributes and one RLE fragment (PS3.5 G): a 64-byte header naming one segment, then
   * a literal run of 15 bytes and one of 1 byte (18 bytes: fragments have even lengths).
   */
  private static void writeRle(DicomOutputStream out, Attributes ds, int i) throws Exception {
    ds.set(Tag.SamplesPerPixel, VR.US, new byte[] {1, 0});
    ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
    ds.set(Tag.Rows, VR.US, new byte[] {4, 0});
    ds.set(Tag.Columns, VR.US, new byte[] {4, 0});
    ds.set(Tag.BitsAllocated, VR.US, new byte[] {8, 0});
    ds.set(Tag.BitsStored, VR.US, new byte[] {8, 0});
    ds.set(Tag.HighBit, VR.US, new byte[] {7, 0});
    ds.set(Tag.PixelRepresentation, VR.US, new byte[] {0, 0});
    out.writeFileMetaInformation(DicomOutputStream.fileMetaInformation(ds, null, UID.RLELossless));
    out.writeDataset(ds);
    byte[] pixels = rlePixels(i);
    byte[] frame = new byte[64 + 18];
    frame[0] = 1; // one segment ...
    frame[4] = 64; // ... right after the header
    frame[64] = 14; // a literal run of 15 bytes
    System.arraycopy(pixels, 0, frame, 65, 15);
    frame[80] = 0; // a literal run of 1 byte
    frame[81] = pixels[15];
    out.writeHeader(Tag.PixelData, VR.OB, -1);
    out.writeFragment(new byte[0]); // the empty Basic Offset Table
    out.writeFragment(frame);
    out.writeSequenceDelimiter();
  }

  static final String PATIENT_NAME = "DOE^JANE";

  private static void addIdentifying(Attributes ds, String series, int i) {
    ds.setString(Tag.PatientName, VR.PN, PATIENT_NAME);
    ds.setString(Tag.PatientID, VR.LO, "PID-1");
    ds.setString(Tag.PatientBirthDate, VR.DA, "19700101");
    ds.setString(Tag.InstitutionName, VR.LO, "ST ELSEWHERE");
    ds.setString(Tag.OperatorsName, VR.PN, "OPERATOR^ONE");
    ds.setString(Tag.FrameOfReferenceUID, VR.UI, series + ".100");
    ds.setString(0x00090010, VR.LO, "ACME 1.0");
    ds.setString(0x00091001, VR.LO, "PRIVATE NOTE");
    if (i > 1) {
      Attributes ref = ds.newSequence(Tag.ReferencedImageSequence).addItem();
      ref.setString(Tag.ReferencedSOPClassUID, VR.UI, UID.CTImageStorage);
      ref.setString(Tag.ReferencedSOPInstanceUID, VR.UI, series + ".1");
    }
  }
}
