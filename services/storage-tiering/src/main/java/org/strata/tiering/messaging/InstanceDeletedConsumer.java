package org.strata.tiering.messaging;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.strata.events.EventCodec;
import org.strata.events.EventFormatException;
import org.strata.events.InstanceDeleted;
import org.strata.tiering.config.TieringConfig;
import org.strata.tiering.repository.DeletionJobRepository;

/**
 * Journals the objects of what index deleted ({@code strata.instance.deleted}) for removal after
 * {@code strata.tiering.delete-grace}; the offset is committed only after the journal write.
 */
@ApplicationScoped
public class InstanceDeletedConsumer {
  private static final Logger LOG = Logger.getLogger(InstanceDeletedConsumer.class);

  private final DeletionJobRepository jobs;
  private final TieringConfig config;

  public InstanceDeletedConsumer(DeletionJobRepository jobs, TieringConfig config) {
    this.jobs = jobs;
    this.config = config;
  }

  @Incoming("instance-deleted")
  @Blocking
  public void consume(byte[] payload) throws SQLException {
    InstanceDeleted event;
    try {
      event = EventCodec.decode(payload, InstanceDeleted.class);
    } catch (EventFormatException e) {
      if (e.reason() == EventFormatException.Reason.FUTURE_SCHEMA_VERSION) {
        throw new IllegalStateException("a deletion from a newer index: update storage-tiering", e);
      }
      LOG.warnf("undecodable deletion (%s) skipped", e.reason());
      return;
    }
    jobs.journal(event, event.occurredAt().plus(config.deleteGrace()));
  }
}
