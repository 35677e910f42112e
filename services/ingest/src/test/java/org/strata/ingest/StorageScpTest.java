package org.strata.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  /**
   * ADR 0019: a clean instance without Issuer of Patient ID, from a calling AE of the local
   * profile's default tenant, is stored as received: C-STORE 0x0000. It was B000 (coercion),
   * although the stored object was unchanged.
   */
  @Test
  void aCleanInstanceToTheDefaultTenantIsSuccessNotCoercion() throws Exception {
    String study = "2.25." + Math.abs(UUID.randomUUID().getMostSignificantBits());
    String series = study + ".1";
    String sop = series + ".1";
    byte[] file = DicomFiles.instance(study, series, sop, "SCP-CLEAN", 1024);
    try (DicomClient client =
        DicomClient.connect(
            "127.0.0.1",
            scp.port(),
            "ANY-MODALITY",
            "STRATA",
            DicomClient.proposal().add(DicomFiles.CT, DicomFiles.EXPLICIT_LE),
            DicomClient.Options.DEFAULTS)) {
      int status =
          client.store(
              DicomFiles.CT,
              sop,
              DicomFiles.EXPLICIT_LE,
              new ByteArrayInputStream(datasetOf(file)));
      assertEquals(0x0000, status, "C-STORE status");
    }
    // Acknowledged, so on the topic already (read to its end offsets): exactly one event.
    List<StoredEvents.Keyed> events =
        StoredEvents.upToNow(bootstrap, x -> x.sopInstanceUid().equals(sop));
    assertEquals(1, events.size());
    InstanceStored e = events.get(0).event();
    assertEquals("local", e.tenant());
    assertNull(e.issuerOfPatientId(), "as received; the index applies the tenant's issuer");
    ObjectStore store =
        ObjectStore.connect(s3Endpoint, "strata", "strata-secret", "strata-objects");
    try (InputStream in = store.get(e.objectLocation().key())) {
      assertArrayEquals(datasetOf(file), datasetOf(in.readAllBytes()));
    }
  }

  @Test
  void echoscuIsAnswered() throws Exception {
    assertEquals(0, run(List.of("echoscu", "-aec", "STRATA", "127.0.0.1", "" + scp.port())).exit);
  }

  @Test
  void aGeneratedStudyOf500InstancesOnOneAssociationIsStoredWithItsEvents() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("target"), "study-");
    String study = "2.25." + Math.abs(UUID.randomUUID().getMostSignificantBits());
    String series = study + ".1";
    Map<String, byte[]> files = DicomFiles.ctStudy(study, series, 500, "PID-" + study, 32 * 1024);
    int n = 0;
    for (byte[] file : files.values()) {
      Files.write(dir.resolve(++n + ".dcm"), file);
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

  /**
   * storescu options that propose the file's own transfer syntax first (with {@code -R}: only the
   * SOP classes of the files), and the storescp options that make DCMTK's own SCP prefer the same.
   */
  record Proposal(String storescu, String storescp) {}

  static Proposal proposalFor(String ts) {
    if (ts == null) {
      // No file meta: storescu reads the encoding itself and proposes explicit VR LE first.
      return new Proposal(null, "+xe");
    }
    return switch (ts) {
      case "1.2.840.10008.1.2" -> new Proposal("-xi", "+xi");
      case "1.2.840.10008.1.2.1" -> new Proposal("-xe", "+xe");
      case "1.2.840.10008.1.2.2" -> new Proposal("-xb", "+xb");
      case "1.2.840.10008.1.2.1.99" -> new Proposal("-xd", "+xd");
      case "1.2.840.10008.1.2.4.50" -> new Proposal("-xy", "+xy");
      case "1.2.840.10008.1.2.4.51" -> new Proposal("-xx", "+xx");
      case "1.2.840.10008.1.2.4.70" -> new Proposal("-xs", "+xs");
      case "1.2.840.10008.1.2.4.80" -> new Proposal("-xt", "+xt");
      case "1.2.840.10008.1.2.4.81" -> new Proposal("-xu", "+xu");
      case "1.2.840.10008.1.2.4.90" -> new Proposal("-xv", "+xv");
      case "1.2.840.10008.1.2.4.91" -> new Proposal("-xw", "+xw");
      case "1.2.840.10008.1.2.5" -> new Proposal("-xr", "+xr");
      default -> throw new AssertionError("no storescu option for " + ts);
    };
  }

  /**
   * The {@code .dcm} files of pydicom's test_files that DCMTK's storescu (3.6.7) does not send,
   * with what it prints; a failure for another reason fails the test.
   */
  static final Map<String, String> STORESCU_REFUSES =
      Map.ofEntries(
          Map.entry("MR_truncated.dcm", "PixelData (7fe0,0010) larger (8192) than remaining bytes"),
          Map.entry("rtplan_truncated.dcm", "(300a,012c) larger (50) than remaining bytes (29)"),
          Map.entry("no_meta.dcm", "larger (173228800) than remaining bytes"), // stray byte
          Map.entry("SC_rgb_jpeg.dcm", "larger (1329808723) than remaining bytes"), // garbage VR
          // SOP Class or Instance UID absent (or unreadable to DCMTK) in the data set
          Map.entry("UN_sequence.dcm", "missing SOP class (or instance)"),
          Map.entry("empty_charset_LEI.dcm", "missing SOP class (or instance)"),
          Map.entry("meta_missing_tsyntax.dcm", "missing SOP class (or instance)"),
          Map.entry("nested_priv_SQ.dcm", "missing SOP class (or instance)"),
          Map.entry("no_meta_group_length.dcm", "missing SOP class (or instance)"),
          Map.entry("priv_SQ.dcm", "missing SOP class (or instance)"),
          Map.entry("rtdose_rle.dcm", "missing SOP class (or instance)"),
          Map.entry("rtdose_rle_1frame.dcm", "missing SOP class (or instance)"));

  /**
   * Files storescu sends that the SCP must refuse, with the status and why (from dcmdump's view of
   * the file); nothing of them may be stored.
   */
  static final Map<String, Integer> SCP_REFUSES = Map.of();

  /**
   * Samples whose data set storescu re-encodes in a transfer syntax that DCMTK's storescp would not
   * choose the same way as our SCP (our preference: explicit VR LE, implicit VR LE, then the
   * others), so their bytes have no reference: compared value by value through dcmdump.
   */
  static final Set<String> COMPARED_BY_VALUE = Set.of("ExplVR_BigEndNoMeta.dcm", "rtstruct.dcm");

  /** A sample the SCP stored: where, and what it was sent as. */
  record Sent(PydicomSamples.Sample sample, String tenant, Proposal proposal) {}

  @Test
  void everyPydicomSampleStorescuSendsIsStoredAsSentWithSidecarAndEvent() throws Exception {
    List<Path> files;
    try (var list = Files.list(PydicomSamples.TEST_FILES)) {
      files = list.filter(f -> f.toString().endsWith(".dcm")).sorted().toList();
    }
    assertTrue(files.size() >= 68, "pydicom's test_files: " + files.size());
    // Samples that share a SOP Instance UID (MR_small in 8 encodings...) go to different tenants
    // (calling AEs SAMPLES1..8), so each is a first store there and can be compared byte for byte.
    Map<String, Integer> tenantsOfSop = new HashMap<>();
    List<Sent> sent = new ArrayList<>();
    List<PydicomSamples.Sample> refused = new ArrayList<>();
    for (Path f : files) {
      String name = f.getFileName().toString();
      PydicomSamples.Sample s = PydicomSamples.dcmdump(f);
      Proposal p = proposalFor(s.uids().get("0002,0010"));
      int n = s.sop() == null ? 1 : tenantsOfSop.getOrDefault(s.sop(), 0) + 1;
      List<String> cmd =
          new ArrayList<>(List.of("storescu", "-d", "-R", "-aet", "SAMPLES" + n, "-aec", "STRATA"));
      if (p.storescu() != null) {
        cmd.add(p.storescu());
      }
      cmd.addAll(List.of("127.0.0.1", "" + scp.port(), f.toString()));
      Result r = run(cmd);
      if (STORESCU_REFUSES.containsKey(name)) {
        assertTrue(
            r.exit != 0 && r.output.contains(STORESCU_REFUSES.get(name)), name + ": " + r.output);
        refused.add(s);
        continue;
      }
      assertEquals(0, r.exit, name + ": " + r.output);
      Matcher status = Pattern.compile("DIMSE Status\\s*:\\s*0x(\\p{XDigit}{4})").matcher(r.output);
      assertTrue(status.find(), name + ": no C-STORE response in " + r.output);
      assertEquals(
          SCP_REFUSES.getOrDefault(name, 0),
          Integer.parseInt(status.group(1), 16),
          name + ": status");
      if (SCP_REFUSES.containsKey(name)) {
        refused.add(s);
        continue;
      }
      tenantsOfSop.put(s.sop(), n);
      sent.add(new Sent(s, "samples-" + n, p));
    }
    assertEquals(files.size() - STORESCU_REFUSES.size() - SCP_REFUSES.size(), sent.size());

    ObjectStore store =
        ObjectStore.connect(s3Endpoint, "strata", "strata-secret", "strata-objects");
    List<StoredEvents.Keyed> events =
        StoredEvents.upToNow(bootstrap, e -> e.tenant().startsWith("samples-"));
    // One event per stored sample, none for the refused ones.
    assertEquals(sent.size(), events.size(), "events of tenants samples-*");
    Map<String, StoredEvents.Keyed> byKey = new HashMap<>();
    for (StoredEvents.Keyed k : events) {
      assertTrue(
          byKey.put(k.event().objectLocation().key(), k) == null,
          "two events for " + k.event().objectLocation().key());
    }
    List<String> viaReference = new ArrayList<>();
    List<String> byValue = new ArrayList<>();
    for (Sent x : sent) {
      PydicomSamples.Sample s = x.sample();
      String key = s.key(x.tenant()) + ".dcm";
      byte[] stored;
      try (InputStream in = store.get(key)) {
        stored = in.readAllBytes();
      }
      // The data set is byte for byte what storescu sent: the file's own, or, where storescu
      // re-encodes it (no file meta, group lengths dropped...), what DCMTK's storescp +B receives.
      byte[] asFile = s.uids().get("0002,0010") == null ? s.bytes() : datasetOf(s.bytes());
      String ts =
          s.uids().get("0002,0010") != null
              ? s.uids().get("0002,0010")
              : datasetTransferSyntax(s.file());
      if (!Arrays.equals(asFile, datasetOf(stored))) {
        Path reference = referenceReception(s.file(), x.proposal());
        byte[] ref = Files.readAllBytes(reference);
        if (Arrays.equals(datasetOf(ref), datasetOf(stored))) {
          ts = PydicomSamples.dcmdump(reference).uids().get("0002,0010");
          viaReference.add(s.name());
        } else {
          // storescp negotiated another transfer syntax than our SCP: same values, other bytes.
          Path ours = Files.createTempFile(Path.of("target"), "stored-", ".dcm");
          Files.write(ours, stored);
          assertEquals(dataSetDump(s.file()), dataSetDump(ours), s.name() + ": values as sent");
          ts = PydicomSamples.dcmdump(ours).uids().get("0002,0010");
          byValue.add(s.name());
        }
      }
      StoredEvents.Keyed k = byKey.get(key);
      assertTrue(k != null, "no event for " + s.name());
      InstanceStored e = k.event();
      assertEquals(s.uids().get("0020,000d"), k.key(), s.name() + ": record key");
      assertEquals(x.tenant(), e.tenant());
      assertEquals(s.uids().get("0020,000d"), e.studyInstanceUid(), s.name());
      assertEquals(s.uids().get("0020,000e"), e.seriesInstanceUid(), s.name());
      assertEquals(s.sop(), e.sopInstanceUid(), s.name());
      assertEquals(s.uids().get("0008,0016"), e.sopClassUid(), s.name());
      assertEquals(ts, e.transferSyntaxUid(), s.name());
      assertEquals(stored.length, e.objectLocation().size(), s.name());
      assertEquals(
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stored)),
          e.objectLocation().sha256(),
          s.name());
      assertEquals(InstanceStored.Channel.DIMSE, e.source().channel());
      assertEquals("SAMPLES" + x.tenant().substring(8), e.source().callingAeTitle());
    }
    System.out.println(
        "storescu: "
            + sent.size()
            + " samples stored, "
            + viaReference.size()
            + " re-encoded by storescu (compared with storescp +B): "
            + viaReference
            + ", "
            + byValue.size()
            + " in another transfer syntax than storescp negotiates (compared by value): "
            + byValue);
    assertEquals(COMPARED_BY_VALUE, Set.copyOf(byValue), "samples not compared byte for byte");
    // Refused samples left nothing under any sample tenant.
    for (PydicomSamples.Sample s : refused) {
      if (s.sop() != null
          && s.uids().get("0020,000d") != null
          && !tenantsOfSop.containsKey(s.sop())) {
        for (int n = 1; n <= 8; n++) {
          assertTrue(store.stat(s.key("samples-" + n) + ".dcm").isEmpty(), s.name());
        }
      }
    }
    // A broken file storescu will not send reaches us from our own SCU, its data set as in the
    // file (MR_truncated.dcm: Pixel Data 8192 bytes long, fewer present; UIDs from dcmdump +Ep):
    // refused with 0xC000, nothing stored, no event.
    String mr = "1.2.840.10008.5.1.4.1.1.4";
    String truncatedSop = "1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457";
    byte[] truncated = Files.readAllBytes(PydicomSamples.TEST_FILES.resolve("MR_truncated.dcm"));
    try (DicomClient client =
        DicomClient.connect(
            "127.0.0.1",
            scp.port(),
            "HOSPB",
            "STRATA",
            DicomClient.proposal().add(mr, DicomFiles.EXPLICIT_LE),
            DicomClient.Options.DEFAULTS)) {
      int status =
          client.store(
              mr,
              truncatedSop,
              DicomFiles.EXPLICIT_LE,
              new ByteArrayInputStream(datasetOf(truncated)));
      assertEquals(0xC000, status, "MR_truncated.dcm");
    }
    assertTrue(
        store
            .stat(
                "hosp-b/1.3.6.1.4.1.5962.1.2.4.20040826185059.5457/"
                    + "1.3.6.1.4.1.5962.1.3.4.1.20040826185059.5457/"
                    + truncatedSop
                    + ".dcm")
            .isEmpty());
    assertTrue(
        StoredEvents.upToNow(bootstrap, e -> e.sopInstanceUid().equals(truncatedSop)).stream()
            .noneMatch(k -> k.event().tenant().equals("hosp-b")),
        "no event for MR_truncated.dcm");

    // Sidecars: written after the acknowledgement by the derivatives consumer (bounded wait);
    // deflated objects get none by design (README, Derivatives).
    ObjectMapper json = new ObjectMapper();
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    for (Sent x : sent) {
      PydicomSamples.Sample s = x.sample();
      if ("1.2.840.10008.1.2.1.99"
          .equals(byKey.get(s.key(x.tenant()) + ".dcm").event().transferSyntaxUid())) {
        continue;
      }
      String sidecar = s.key(x.tenant()) + ".json";
      while (store.stat(sidecar).isEmpty()) {
        assertTrue(System.nanoTime() < deadline, "no sidecar for " + s.name());
        Thread.sleep(200);
      }
      try (InputStream in = store.get(sidecar)) {
        JsonNode node = json.readTree(in);
        assertEquals(s.sop(), node.path("00080018").path("Value").get(0).asText(), s.name());
        assertEquals(
            s.uids().get("0020,000d"),
            node.path("0020000D").path("Value").get(0).asText(),
            s.name());
      }
    }
  }

  /**
   * dcmdump's lines of the data set, without group lengths, trailing padding, length annotations
   * and the transfer syntax comment.
   */
  private static List<String> dataSetDump(Path file) throws Exception {
    Result r = run(List.of("dcmdump", "-q", "+L", "-Un", file.toString()));
    assertEquals(0, r.exit, r.output);
    String dataSet = r.output.substring(r.output.indexOf("# Dicom-Data-Set"));
    return dataSet
        .lines()
        .filter(l -> !l.startsWith("#") && !l.trim().matches("\\(\\p{XDigit}{4},0000\\).*"))
        .filter(l -> !l.startsWith("(fffc,fffc)"))
        .map(l -> l.replaceAll("\\s+#.*$", ""))
        .map(l -> l.replaceAll("(Sequence|Item) with (undefined|explicit) length", "$1"))
        .map(l -> l.replaceAll(" for re-encod[^)]*", ""))
        .toList();
  }

  /** The encoding dcmdump finds for a data set without file meta information. */
  private static String datasetTransferSyntax(Path file) throws Exception {
    Result r = run(List.of("dcmdump", "-q", file.toString()));
    String used = r.output.substring(r.output.indexOf("# Dicom-Data-Set")).lines().toList().get(1);
    return switch (used.substring(used.indexOf(':') + 1).trim()) {
      case "Little Endian Implicit" -> "1.2.840.10008.1.2";
      case "Little Endian Explicit" -> "1.2.840.10008.1.2.1";
      case "Big Endian Explicit" -> "1.2.840.10008.1.2.2";
      default -> throw new AssertionError(file + ": " + used);
    };
  }

  /** What DCMTK's storescp (bit-preserving) receives when storescu sends {@code file}. */
  private static Path referenceReception(Path file, Proposal p) throws Exception {
    Path dir = Files.createTempDirectory(Path.of("target"), "storescp-");
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Process storescp =
        new ProcessBuilder("storescp", "+B", p.storescp(), "-od", dir.toString(), "" + port)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      for (int attempt = 0; ; attempt++) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
          break;
        } catch (java.io.IOException notYet) {
          assertTrue(attempt < 100, "storescp did not start");
          Thread.sleep(50);
        }
      }
      List<String> cmd = new ArrayList<>(List.of("storescu", "-R", "-aec", "REF"));
      if (p.storescu() != null) {
        cmd.add(p.storescu());
      }
      cmd.addAll(List.of("127.0.0.1", "" + port, file.toString()));
      Result r = run(cmd);
      assertEquals(0, r.exit, r.output);
    } finally {
      storescp.destroy();
      storescp.waitFor(10, TimeUnit.SECONDS);
    }
    try (var list = Files.list(dir)) {
      List<Path> received = list.toList();
      assertEquals(1, received.size(), "storescp received " + received);
      return received.get(0);
    }
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
    // Everything acknowledged so far is on the topic (read to its end offsets): none of these.
    Set<String> refused = Set.of(study + ".1.999", study + ".1.1", study + ".1.2");
    assertTrue(
        StoredEvents.upToNow(bootstrap, e -> refused.contains(e.sopInstanceUid())).isEmpty());
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
