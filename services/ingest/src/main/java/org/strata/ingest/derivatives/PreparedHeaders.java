package org.strata.ingest.derivatives;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.strata.ingest.config.DerivativesConfig;

/**
 * Object headers that ingest has just read and stored, kept for a short while so the derivatives of
 * the same instance are written without reading the object back from S3 (ADR 0015).
 *
 * <p>Ingest already holds every byte before Pixel Data when it acknowledges an instance. When the
 * object ends with its Pixel Data (native pixel data, or no pixel data at all) those bytes and the
 * object's size are all the derivatives writer needs: the pixel data value is only ever referenced
 * by offset and length. Entries are offered after the event is acknowledged by Kafka and taken by
 * the derivatives consumer of the same process; what is evicted (bounded by bytes), belongs to
 * another replica or is lost in a restart falls back to reading the object.
 */
@ApplicationScoped
public class PreparedHeaders {
  /**
   * What is known of an object without reading it: its first bytes (up to at least its Pixel Data
   * value), the bytes after that value ({@code tail} from {@code tailOffset}; empty when the value
   * ends the object) and its size.
   */
  public record Prepared(
      byte[] header, long tailOffset, byte[] tail, long objectSize, SidecarJson.Made sidecar) {
    int bytes() {
      // A parsed data set takes about as much as its header's bytes.
      return header.length
          + tail.length
          + (sidecar == null ? 0 : header.length + sidecar.json().length);
    }
  }

  private final long maxBytes;
  private final Map<String, Prepared> entries = new LinkedHashMap<>();
  private long bytes;

  @Inject
  public PreparedHeaders(DerivativesConfig config) {
    this(config.preparedHeadersBytes());
  }

  PreparedHeaders(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /**
   * Keeps what is known of {@code eventId}'s object, evicting the oldest entries beyond the budget.
   *
   * @param tailOffset where {@code tail} starts in the object (-1 with an empty tail: none)
   * @return the entry (also when too large to keep)
   */
  public synchronized Prepared offer(
      String eventId, byte[] header, long tailOffset, byte[] tail, long objectSize) {
    Prepared entry =
        new Prepared(header, tailOffset, tail == null ? new byte[0] : tail, objectSize, null);
    if (entry.bytes() > maxBytes) {
      return entry;
    }
    Prepared old = entries.put(eventId, entry);
    if (old != null) {
      bytes -= old.bytes();
    }
    bytes += entry.bytes();
    for (Iterator<Prepared> it = entries.values().iterator(); bytes > maxBytes && it.hasNext(); ) {
      bytes -= it.next().bytes();
      it.remove();
    }
    return entry;
  }

  /**
   * Keeps the sidecar made from {@code eventId}'s entry on the acknowledged path (for the event,
   * ADR 0045), so the derivatives writer neither parses the header nor builds the JSON again.
   */
  public synchronized void attach(String eventId, SidecarJson.Made sidecar) {
    Prepared old = entries.get(eventId);
    if (old == null || sidecar == null) {
      return; // evicted meanwhile: the writer makes it again
    }
    Prepared entry =
        new Prepared(old.header(), old.tailOffset(), old.tail(), old.objectSize(), sidecar);
    entries.put(eventId, entry);
    bytes += entry.bytes() - old.bytes();
    for (Iterator<Prepared> it = entries.values().iterator(); bytes > maxBytes && it.hasNext(); ) {
      bytes -= it.next().bytes();
      it.remove();
    }
  }

  /** The entry of {@code eventId}, left in place (a failed write is retried with it). */
  public synchronized Prepared peek(String eventId) {
    return entries.get(eventId);
  }

  public synchronized void remove(String eventId) {
    Prepared old = entries.remove(eventId);
    if (old != null) {
      bytes -= old.bytes();
    }
  }
}
