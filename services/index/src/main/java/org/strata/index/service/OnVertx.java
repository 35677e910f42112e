package org.strata.index.service;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Runs reactive work from a plain thread (the Kafka poll loop, a rebuild job) on a fresh Vert.x
 * duplicated context and waits for it: Hibernate Reactive keeps its session in that context, which
 * must therefore be flagged as isolated.
 */
@ApplicationScoped
public class OnVertx {
  private final Vertx vertx;

  public OnVertx(Vertx vertx) {
    this.vertx = vertx;
  }

  public <T> T await(Supplier<Uni<T>> work, Duration timeout) {
    Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
    VertxContextSafetyToggle.setContextSafe(context, true);
    return Uni.createFrom()
        .<T>emitter(
            e ->
                context.runOnContext(
                    v ->
                        Uni.createFrom()
                            .<T>deferred(work::get)
                            .subscribe()
                            .with(e::complete, e::fail)))
        .await()
        .atMost(timeout);
  }
}
