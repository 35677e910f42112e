package org.strata.routing.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;
import org.strata.dicom.deid.DeidOption;
import org.strata.dicom.deid.Deidentifier;
import org.strata.dicom.deid.DeidentifyingCopy;
import org.strata.events.RoutingJob;
import org.strata.routing.service.RulesDocument.DeidentificationKey;
import org.strata.routing.service.RulesDocument.Destination;

/**
 * What a sender sends for each instance of a job: the stored Part 10 object, or for a job that
 * de-identifies (ADR 0050) a de-identified copy made with the destination's key into a temporary
 * file (pixel data streamed, so memory does not grow with the object; the file is deleted when the
 * instance has been sent), with the UIDs the receiver will see.
 */
@ApplicationScoped
public class OutgoingObjects {
  /** Raised when a de-identifying job cannot get its key: the attempt fails, nothing is sent. */
  public static final class KeyUnavailable extends Exception {
    KeyUnavailable(String message) {
      super(message);
    }
  }

  private final StoredObjects objects;
  private final Function<String, String> env;

  OutgoingObjects(StoredObjects objects) {
    this.objects = objects;
    this.env = System::getenv;
  }

  /** The de-identifier of {@code job} for {@code destination}, null when it sends as stored. */
  public Deidentifier deidentifier(RoutingJob job, Destination destination) throws KeyUnavailable {
    if (job.deidentify() == null) {
      return null;
    }
    Set<DeidOption> options = EnumSet.noneOf(DeidOption.class);
    try {
      job.deidentify().forEach(o -> options.add(DeidOption.parse(o)));
    } catch (IllegalArgumentException e) {
      throw new KeyUnavailable("de-identification: " + e.getMessage());
    }
    return new Deidentifier(options, key(destination));
  }

  private byte[] key(Destination destination) throws KeyUnavailable {
    DeidentificationKey where = destination.deidentificationKey();
    String what = "de-identification key of destination " + destination.name();
    if (where == null) {
      throw new KeyUnavailable(what + " not configured (deidentificationKey)");
    }
    String key;
    if (where.env() != null) {
      key = env.apply(where.env());
      if (key == null) {
        throw new KeyUnavailable(what + ": environment variable " + where.env() + " not set");
      }
    } else {
      try {
        key = Files.readString(Path.of(where.file()), StandardCharsets.UTF_8);
      } catch (IOException | RuntimeException e) {
        throw new KeyUnavailable(
            what + ": file not readable (" + e.getClass().getSimpleName() + ")");
      }
    }
    byte[] bytes = key.strip().getBytes(StandardCharsets.UTF_8);
    if (bytes.length < 16) {
      throw new KeyUnavailable(what + ": shorter than 16 bytes");
    }
    return bytes;
  }

  /** One instance ready to send; close it once sent. */
  public static final class Outgoing implements Closeable {
    private final RoutingJob.Instance instance;
    private final StoredObjects objects;
    private final Path copy;
    private final String sopInstanceUid;

    private Outgoing(
        RoutingJob.Instance instance, StoredObjects objects, Path copy, String sopInstanceUid) {
      this.instance = instance;
      this.objects = objects;
      this.copy = copy;
      this.sopInstanceUid = sopInstanceUid;
    }

    /** The Part 10 object to send (may be opened again, e.g. by an HTTP client's retry). */
    public InputStream open() throws IOException {
      return copy != null ? Files.newInputStream(copy) : objects.open(instance);
    }

    /** The SOP Instance UID the receiver sees. */
    public String sopInstanceUid() {
      return sopInstanceUid;
    }

    @Override
    public void close() throws IOException {
      if (copy != null) {
        Files.deleteIfExists(copy);
      }
    }
  }

  /** {@code instance} as it is to be sent: as stored when {@code deid} is null. */
  public Outgoing prepare(RoutingJob.Instance instance, Deidentifier deid) throws IOException {
    if (deid == null) {
      return new Outgoing(instance, objects, null, instance.sopInstanceUid());
    }
    Path copy = Files.createTempFile("strata-deid-", ".dcm");
    try (InputStream in = objects.open(instance);
        OutputStream out = Files.newOutputStream(copy)) {
      DeidentifyingCopy.Result r = DeidentifyingCopy.copy(in, out, deid);
      return new Outgoing(instance, objects, copy, r.sopInstanceUid());
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(copy);
      throw e;
    }
  }

  /** A UID of the job as the receiver sees it (for the proof of delivery). */
  public static String asSent(String uid, Deidentifier deid) {
    return deid == null || deid.options().contains(DeidOption.RETAIN_UIDS)
        ? uid
        : deid.replaceUid(uid);
  }
}
