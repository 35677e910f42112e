package org.strata.ingest.service;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.strata.ingest.config.IngestConfig;

/**
 * Stores the parts of STOW-RS requests with several in flight per request: while one part is on its
 * way to S3 and Kafka, the next is already being received. A part that fits {@code
 * stow.part-buffer} is read into memory and stored on a virtual thread; a larger one streams
 * straight through on the request's thread, as before. Memory is bounded twice: at most {@code
 * stow.parts-in-flight} buffered parts per request, and {@code stow.buffer-budget} bytes of
 * buffered parts across all requests (a request waits for room: back-pressure, never an
 * out-of-memory). Results keep the order of the parts. The parts' events are published together
 * once the parts are stored ({@link RequestEvents}, ADR 0066).
 */
@ApplicationScoped
public class StowParts {
  private final InstanceIngestor ingestor;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Semaphore budget;
  private final int partBuffer;
  private final int inFlight;

  private final MeterRegistry metrics;

  public StowParts(InstanceIngestor ingestor, IngestConfig config, MeterRegistry metrics) {
    this.ingestor = ingestor;
    this.metrics = metrics;
    this.partBuffer = config.stow().partBuffer();
    this.inFlight = Math.max(1, config.stow().partsInFlight());
    this.budget = new Semaphore(Math.max(partBuffer, config.stow().bufferBudget()), true);
  }

  /** A new pipeline for one request. */
  public Pipeline pipeline(IngestSource source, String study) {
    return new Pipeline(source, study);
  }

  @PreDestroy
  void close() {
    executor.shutdown();
  }

  /** The parts of one request, in order. */
  public final class Pipeline {
    private final IngestSource source;
    private final String study;
    private final Semaphore window = new Semaphore(inFlight);
    // Held back while parts are stored, published together (ADR 0066).
    private final RequestEvents events = ingestor.eventsOfRequest();
    // The buffered parts' stores (up to their objects in S3), to know when all have ended.
    private final List<CompletableFuture<Void>> storing = new ArrayList<>();
    private final List<CompletableFuture<StoreResult>> results = new ArrayList<>();

    private Pipeline(IngestSource source, String study) {
      this.source = source;
      this.study = study;
    }

    /**
     * Stores one part; returns once it is received (small parts) or stored (large ones).
     *
     * @throws IOException when the part's bytes cannot be read (the request broke off)
     */
    public void store(InputStream part) throws IOException {
      // Bounded read: a small part ends within the buffer; a large one keeps streaming below.
      long t0 = System.nanoTime();
      byte[] head = part.readNBytes(partBuffer + 1);
      // Receiving a buffered part happens here, not in the store (strata.ingest.step).
      metrics
          .timer("strata.ingest.step", "step", "stow-part-read")
          .record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
      if (head.length > partBuffer) {
        InputStream whole = new SequenceInputStream(new ByteArrayInputStream(head), part);
        results.add(ingestor.store(whole, source, study, null, true, events));
        return;
      }
      window.acquireUninterruptibly();
      int permits = Math.max(1, head.length);
      budget.acquireUninterruptibly(permits);
      CompletableFuture<StoreResult> result = new CompletableFuture<>();
      results.add(result);
      try {
        storing.add(
            CompletableFuture.runAsync(
                () -> {
                  try {
                    ingestor
                        .store(new ByteArrayInputStream(head), source, study, null, true, events)
                        .whenComplete(
                            (stored, failed) ->
                                result.complete(
                                    failed == null ? stored : StoreResult.internalFailure()));
                  } catch (IOException | RuntimeException e) {
                    result.complete(StoreResult.internalFailure());
                  } finally {
                    budget.release(permits);
                    window.release();
                  }
                },
                executor));
      } catch (RuntimeException e) {
        budget.release(permits);
        window.release();
        result.complete(StoreResult.internalFailure());
        throw e;
      }
    }

    /** A part that was refused without being stored. */
    public void add(StoreResult result) {
      results.add(CompletableFuture.completedFuture(result));
    }

    public int size() {
      return results.size();
    }

    /**
     * Every part's result in order: waits until every part's object is stored, publishes the events
     * held back together, and waits for their acknowledgements.
     */
    public List<StoreResult> await() {
      for (CompletableFuture<Void> f : storing) {
        // join() waits without interruption: the store runs to its end either way, and its
        // outcome must be reported.
        try {
          f.join();
        } catch (CompletionException e) {
          // the task completed its result itself
        }
      }
      events.publishPending();
      List<StoreResult> out = new ArrayList<>(results.size());
      for (CompletableFuture<StoreResult> r : results) {
        // Complete by now: each part's store has ended and every event is published or undone.
        out.add(r.join());
      }
      return out;
    }
  }
}
