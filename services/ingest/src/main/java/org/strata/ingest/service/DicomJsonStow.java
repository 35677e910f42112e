package org.strata.ingest.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.strata.dicom.Attributes;
import org.strata.dicom.DicomParseException;
import org.strata.dicom.Tag;
import org.strata.dicom.json.DicomJsonReader;
import org.strata.ingest.config.IngestConfig;
import org.strata.ingest.service.JsonInstanceBuilder.BulkPart;

/**
 * STOW-RS of {@code multipart/related; type="application/dicom+json"} (PS3.18 10.5.1): DICOM JSON
 * metadata parts (one data set or an array each) and bulk data parts that the metadata references
 * by {@code BulkDataURI} = the part's {@code Content-Location}. Metadata is held in memory up to
 * {@code strata.ingest.dicom-json.max-metadata-size}; bulk data parts are spooled to temporary
 * files (never to the heap) up to {@code max-spool-size} per request, deleted when the request
 * ends. Once the body is read, each instance becomes a Part 10 object ({@link JsonInstanceBuilder})
 * streamed through the same pipeline as an {@code application/dicom} part (ADR 0014).
 */
@ApplicationScoped
public class DicomJsonStow {
  private static final Logger LOG = Logger.getLogger(DicomJsonStow.class);
  private static final String DICOM_JSON = "application/dicom+json";

  private final InstanceIngestor ingestor;
  private final IngestConfig config;

  public DicomJsonStow(InstanceIngestor ingestor, IngestConfig config) {
    this.ingestor = ingestor;
    this.config = config;
  }

  /** Why a request is refused as a whole (nothing stored): the HTTP status and the reason. */
  public record Refusal(int status, String reason) {}

  /**
   * Reads every part, then stores every instance, handing each outcome to {@code results}.
   *
   * @return the refusal of the request as a whole (nothing stored), else null
   * @throws IOException when the body cannot be read or is not multipart (from {@code reader})
   */
  public Refusal store(
      BodyParts reader, IngestSource source, String study, Consumer<StoreResult> results)
      throws IOException {
    IngestConfig.DicomJson limits = config.dicomJson();
    Path spool =
        limits.spoolDirectory().isPresent()
            ? Files.createTempDirectory(
                Files.createDirectories(Path.of(limits.spoolDirectory().get())), "stow-json-")
            : Files.createTempDirectory("stow-json-");
    try {
      List<Attributes> instances = new ArrayList<>();
      List<StoreResult> unreadable = new ArrayList<>();
      Map<String, BulkPart> bulk = new HashMap<>();
      long metadataLeft = limits.maxMetadataSize();
      long spoolLeft = limits.maxSpoolSize();
      int metadataParts = 0;
      int index = 0;
      for (BodyPart part; (part = reader.next()) != null; index++) {
        String mediaType = mediaType(part.contentType());
        if (mediaType.equals(DICOM_JSON) || (mediaType.isEmpty() && index == 0)) {
          metadataParts++;
          byte[] json = part.body().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, metadataLeft));
          if (part.body().read() >= 0) {
            return new Refusal(
                413, "DICOM JSON metadata larger than " + limits.maxMetadataSize() + " bytes");
          }
          metadataLeft -= json.length;
          List<Attributes> parsed = new ArrayList<>();
          try {
            DicomJsonReader in =
                new DicomJsonReader(
                    new InputStreamReader(new ByteArrayInputStream(json), StandardCharsets.UTF_8));
            in.forEach(parsed::add);
          } catch (DicomParseException e) {
            // Which instances the part held is unknown: one failure for the part.
            LOG.debugf("metadata part %d is not DICOM JSON: %s", index, e.getMessage());
            unreadable.add(
                StoreResult.failedPart("metadata part is not valid DICOM JSON: " + e.reason()));
            continue;
          } catch (RuntimeException e) {
            // A shape the reader did not expect: the sender's metadata all the same.
            LOG.debugf("metadata part %d not understood: %s", index, e.getClass().getName());
            unreadable.add(StoreResult.failedPart("metadata part not understood"));
            continue;
          }
          instances.addAll(parsed);
          if (instances.size() > config.maxInstancesPerRequest()) {
            return new Refusal(413, "more than " + config.maxInstancesPerRequest() + " instances");
          }
          continue;
        }
        String location = part.headers().get("content-location");
        if (location == null || location.isBlank()) {
          continue; // nothing can reference it: skipped unread
        }
        String key = JsonInstanceBuilder.locationKey(location.strip());
        if (bulk.containsKey(key)) {
          return new Refusal(
              400, "two bulk data parts with the same Content-Location (query ignored)");
        }
        Path file = spool.resolve("part-" + index);
        long size = copyAtMost(part.body(), file, Math.min(spoolLeft, config.maxObjectSize()));
        if (size < 0) {
          return new Refusal(
              413,
              "bulk data larger than "
                  + Math.min(limits.maxSpoolSize(), config.maxObjectSize())
                  + " bytes (strata.ingest.dicom-json.max-spool-size, max-object-size)");
        }
        spoolLeft -= size;
        bulk.put(key, new BulkPart(file, size, mediaType, parameters(part.contentType())));
      }
      if (metadataParts == 0) {
        return new Refusal(400, "no application/dicom+json metadata part in the request");
      }
      unreadable.forEach(results);
      // The events of the request go out together once every object is stored (ADR 0066).
      RequestEvents events = ingestor.eventsOfRequest();
      List<CompletableFuture<StoreResult>> stored = new ArrayList<>(instances.size());
      for (Attributes instance : instances) {
        stored.add(storeOne(instance, bulk, source, study, events));
      }
      events.publishPending();
      stored.forEach(result -> results.accept(result.join()));
      return null;
    } finally {
      deleteTree(spool);
    }
  }

  private CompletableFuture<StoreResult> storeOne(
      Attributes instance,
      Map<String, BulkPart> bulk,
      IngestSource source,
      String study,
      RequestEvents events) {
    JsonInstanceBuilder.Prepared prepared = JsonInstanceBuilder.prepare(instance, bulk);
    if (prepared.failure() != null) {
      return CompletableFuture.completedFuture(
          failed(instance, prepared.failure(), prepared.detail()));
    }
    try (JsonInstanceBuilder.Part10Stream part10 = prepared.open()) {
      return ingestor.store(part10, source, study, null, true, events);
    } catch (IOException e) {
      // Our own writer or the spool failed (not the client): nothing was acknowledged.
      LOG.warnf("writing a Part 10 object from DICOM JSON failed: %s", e.getClass().getName());
      return CompletableFuture.completedFuture(
          failed(instance, FailureReason.PROCESSING_FAILURE, "internal error"));
    }
  }

  private static StoreResult failed(Attributes ds, FailureReason reason, String detail) {
    return new StoreResult(
        ds.getString(Tag.SOPClassUID),
        ds.getString(Tag.SOPInstanceUID),
        ds.getString(Tag.StudyInstanceUID),
        ds.getString(Tag.SeriesInstanceUID),
        reason,
        detail,
        false,
        null);
  }

  /** Copies {@code in} to {@code file}; -1 (file left partial) when more than {@code limit}. */
  private static long copyAtMost(InputStream in, Path file, long limit) throws IOException {
    long total = 0;
    byte[] buffer = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        total += n;
        if (total > limit) {
          return -1;
        }
        out.write(buffer, 0, n);
      }
    }
    return total;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      LOG.warnf("spool directory not removed: %s", e.getMessage());
    }
  }

  static String mediaType(String contentType) {
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi))
        .strip()
        .toLowerCase(Locale.ROOT);
  }

  /** The parameters of a media type, names lower case, quotes removed. */
  static Map<String, String> parameters(String contentType) {
    Map<String, String> params = new LinkedHashMap<>();
    var m =
        java.util.regex.Pattern.compile(";\\s*([A-Za-z0-9_.-]+)\\s*=\\s*(\"([^\"]*)\"|[^;\\s]+)")
            .matcher(contentType);
    while (m.find()) {
      params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(3) != null ? m.group(3) : m.group(2));
    }
    return params;
  }
}
