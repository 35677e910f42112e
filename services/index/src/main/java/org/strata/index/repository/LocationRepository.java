package org.strata.index.repository;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;
import org.strata.events.InstanceMoved;

/**
 * Where an instance's objects are, as storage-tiering moves them: the index's side of a tier move
 * (ADR 0031).
 */
@ApplicationScoped
public class LocationRepository {

  /**
   * Points the instance at the move's target if, and only if, it still points at the move's source
   * for the moved object version (compare-and-set); returns the rows changed (0 or 1). A replay, a
   * newer version stored meanwhile or a deletion leave the index as it is, and storage-tiering,
   * which reads the location back, then keeps its source.
   */
  public Uni<Integer> switchLocation(Mutiny.Session s, InstanceMoved e) {
    return s.createNativeQuery(
            "update object_location l set bucket = :toBucket, tier = :toTier, object_key = :toKey,"
                + " sidecar_key = cast(:toSidecar as text), frame_index_key = cast(:toFrames as"
                + " text) from instance i where i.pk = l.instance_pk and i.tenant = :tenant and"
                + " i.sop_instance_uid = :sop and i.version = :version and l.bucket = :fromBucket"
                + " and l.object_key = :fromKey")
        .setParameter("toBucket", e.to().bucket())
        .setParameter("toTier", e.toTier())
        .setParameter("toKey", e.to().key())
        .setParameter("toSidecar", e.to().sidecarKey())
        .setParameter("toFrames", e.to().frameIndexKey())
        .setParameter("tenant", e.tenant())
        .setParameter("sop", e.sopInstanceUid())
        .setParameter("version", e.version())
        .setParameter("fromBucket", e.from().bucket())
        .setParameter("fromKey", e.from().key())
        .executeUpdate();
  }
}
