package org.strata.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.strata.dicom.net.DicomClient;
import org.strata.events.EventCodec;
import org.strata.events.InstanceStored;
import org.strata.events.Topics;
import org.strata.ingest.dimse.StorageScp;
import org.strata.storage.ObjectStore;
import org.strata.testkit.PlatformTestResource;

/**
 * The storage SCP with dcmtk's echoscu and storescu as the sending PACS, on real Kafka and S3: the
 * data set each C-STORE carried is stored behind a file meta group, with one event per instance.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,s3"))
class StorageScpTest {
  private static final int HEADER = 132;

  @Inject StorageScp scp;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @ConfigProperty(name = "strata.s3.endpoint")
  String s3Endpoint;

  @Test
  void echoscuIsAnswered() throws Exception {
    assertEquals(0, run(List.of("echoscu", "-aec", "STRATA", "127.0.0.1", "" + scp.port())).exit);
  }

  @Test
  void aGeneratedStudyOf500InstancesOnOneAssociationIsStoredWithItsEvents() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("target"), "study-");
    String study = "2.25." + Math.abs(UUID.randomUUID().getMostSignificantBits());
    String series = study + ".1";
    Map<String, byte[]> files = new HashMap<>();
    for (int i = 1; i <= 500; i++) {
      String sop = series + "." + i;
      byte[] file = DicomFiles.instance(study, series, sop, "PID-" + study, 32 * 1024);
      files.put(sop, file);
      Files.write(dir.resolve(i + ".dcm"), file);
    }
    Result r =
        run(
            List.of(
                "storescu",
                "-aet",
                "HOSPB",
                "-aec",
                "STRATA",
                "+sd",
                "127.0.0.1",
                "" + scp.port(),
                dir.toString()));
    assertEquals(0, r.exit, r.output);

    ObjectStore store =
        ObjectStore.connect(s3Endpoint, "strata", "strata-secret", "strata-objects");
    Map<String, InstanceStored> events = events(files.keySet());
    assertEquals(500, events.size());
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      InstanceStored e = events.get(f.getKey());
      assertEquals("hosp-b", e.tenant(), "tenant from the calling AE title");
      assertEquals(InstanceStored.Channel.DIMSE, e.source().channel());
      assertEquals("HOSPB", e.source().callingAeTitle());
      assertEquals("STRATA", e.source().calledAeTitle());
      try (InputStream in = store.get(e.objectLocation().key())) {
        byte[] stored = in.readAllBytes();
        // The data set is exactly what storescu sent (the file's own, in its transfer syntax).
        assertArrayEquals(datasetOf(f.getValue()), datasetOf(stored), f.getKey());
        assertEquals(stored.length, e.objectLocation().size());
      }
    }
  }

  @Test
  void pydicomSamplesSentWithStorescuAreStoredAsSent() throws Exception {
    // Each with the proposal that offers the file's own transfer syntax, so storescu sends the data
    // set as it is in the file. (storescu re-encodes some files from its in-memory model, e.g.
    // JPEG2000.dcm; libs/dicom-net's tests cover those against storescp +B.)
    Map<String, String> samples =
        Map.of(
            "CT_small.dcm", "-xe",
            "MR_small.dcm", "-xe",
            "rtplan.dcm", "-x=",
            "waveform_ecg.dcm", "-x=",
            "SC_rgb_rle.dcm", "-xr",
            "ExplVR_BigEnd.dcm", "-xb");
    Path base = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
    Map<String, byte[]> bySop = new HashMap<>();
    for (Map.Entry<String, String> sample : samples.entrySet()) {
      String name = sample.getKey();
      Path f = base.resolve(name);
      Result r =
          run(
              List.of(
                  "storescu",
                  "-v",
                  "-aet",
                  "HOSPB",
                  "-aec",
                  "STRATA",
                  sample.getValue(),
                  "127.0.0.1",
                  "" + scp.port(),
                  f.toString()));
      assertEquals(0, r.exit, name + ": " + r.output);
      bySop.put(sopOf(f), Files.readAllBytes(f));
    }
    ObjectStore store =
        ObjectStore.connect(s3Endpoint, "strata", "strata-secret", "strata-objects");
    Map<String, InstanceStored> events = events(bySop.keySet());
    assertEquals(samples.size(), events.size());
    for (Map.Entry<String, byte[]> f : bySop.entrySet()) {
      InstanceStored e = events.get(f.getKey());
      Path stored = Files.createTempFile(Path.of("target"), "stored-", ".dcm");
      try (InputStream in = store.get(e.objectLocation().key())) {
        Files.write(stored, in.readAllBytes());
      }
      Path original = Files.createTempFile(Path.of("target"), "original-", ".dcm");
      Files.write(original, f.getValue());
      // storescu sends its in-memory model, which may drop group lengths or change item length
      // encoding: compare what dcmdump reads, value by value.
      assertEquals(dataSetDump(original), dataSetDump(stored), f.getKey());
    }
  }

  /**
   * dcmdump's lines of the data set, without group lengths, trailing padding and length
   * annotations.
   */
  private static List<String> dataSetDump(Path file) throws Exception {
    Result r = run(List.of("dcmdump", "-q", "+L", "-Un", file.toString()));
    assertEquals(0, r.exit, r.output);
    String dataSet = r.output.substring(r.output.indexOf("# Dicom-Data-Set"));
    return dataSet
        .lines()
        .filter(l -> !l.startsWith("#") && !l.trim().matches("\\(\\p{XDigit}{4},0000\\).*"))
        // storescu drops Data Set Trailing Padding when it sends
        .filter(l -> !l.startsWith("(fffc,fffc)"))
        .map(l -> l.replaceAll("\\s+#.*$", ""))
        // ...and may re-encode sequences and items with explicit lengths
        .map(l -> l.replaceAll("(Sequence|Item) with (undefined|explicit) length", "$1"))
        .map(l -> l.replaceAll(" for re-encod[^)]*", ""))
        .toList();
  }

  @Test
  void aDataSetThatContradictsItsCommandIsRefusedWithA900() throws Exception {
    String study = "2.25." + Math.abs(UUID.randomUUID().getMostSignificantBits());
    byte[] file = DicomFiles.instance(study, study + ".1", study + ".1.1", "P9", 64);
    var proposal = DicomClient.proposal().add(DicomFiles.CT, DicomFiles.EXPLICIT_LE);
    try (DicomClient client =
        DicomClient.connect(
            "127.0.0.1", scp.port(), "HOSPB", "STRATA", proposal, DicomClient.Options.DEFAULTS)) {
      int status =
          client.store(
              DicomFiles.CT,
              study + ".1.999",
              DicomFiles.EXPLICIT_LE,
              new ByteArrayInputStream(datasetOf(file)));
      assertEquals(0xA900, status);
      // Not DICOM at all: cannot understand.
      int garbage =
          client.store(
              DicomFiles.CT,
              study + ".1.2",
              DicomFiles.EXPLICIT_LE,
              new ByteArrayInputStream("not a data set at all".getBytes()));
      assertEquals(0xC000, garbage);
    }
    assertTrue(events(Set.of(study + ".1.999", study + ".1.1", study + ".1.2")).isEmpty());
  }

  /** The bytes after the file meta group of a Part 10 file (explicit VR LE group 0002). */
  static byte[] datasetOf(byte[] part10) {
    int groupLength =
        (part10[HEADER + 8] & 0xff)
            | (part10[HEADER + 9] & 0xff) << 8
            | (part10[HEADER + 10] & 0xff) << 16
            | (part10[HEADER + 11] & 0xff) << 24;
    return Arrays.copyOfRange(part10, HEADER + 12 + groupLength, part10.length);
  }

  private static String sopOf(Path file) throws Exception {
    Result r = run(List.of("dcmdump", "-q", "-s", "+P", "0008,0018", file.toString()));
    String line =
        r.output.lines().filter(l -> l.startsWith("(0008,0018)")).findFirst().orElseThrow();
    return line.substring(line.indexOf('[') + 1, line.indexOf(']')).trim();
  }

  private Map<String, InstanceStored> events(Set<String> sops) {
    Map<String, InstanceStored> found = new HashMap<>();
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
      consumer.subscribe(List.of(Topics.INSTANCE_STORED.name()));
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (System.nanoTime() < deadline && found.size() < sops.size()) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          InstanceStored e = EventCodec.decode(r.value(), InstanceStored.class);
          // Every store here calls as HOSPB (tenant hosp-b); other test classes store the same
          // samples as tenant "local".
          if (sops.contains(e.sopInstanceUid())
              && "hosp-b".equals(e.tenant())
              && found.put(e.sopInstanceUid(), e) != null) {
            throw new AssertionError("two events for " + e.sopInstanceUid());
          }
        }
      }
    }
    return found;
  }

  record Result(int exit, String output) {}

  static Result run(List<String> command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
    pb.environment().put("TCP_NODELAY", "1"); // dcmtk's Nagle stall otherwise (see dicom-net)
    Process process = pb.start();
    String out = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(300, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    return new Result(process.exitValue(), out);
  }
}
