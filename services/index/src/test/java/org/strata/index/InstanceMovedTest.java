package org.strata.index;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.strata.events.EventCodec;
import org.strata.events.InstanceMoved;
import org.strata.events.InstanceStored;
import org.strata.events.ObjectLocation;
import org.strata.events.Topics;
import org.strata.testkit.PlatformTestResource;

/**
 * Storage-tiering's moves reach the index only through {@code strata.instance.moved}: the location
 * switches when the index still points at the move's source for that object version, never
 * otherwise (a stale version, a replay after a later move).
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres"))
class InstanceMovedTest extends IndexTestSupport {

  @Test
  void theLocationSwitchesOnlyFromTheCurrentOne() throws Exception {
    InstanceStoredMother first = new InstanceStoredMother();
    InstanceStoredMother other = first.nextInstance();
    InstanceStored stored = first.build();
    publish(stored);
    publish(other.build());
    awaitInstances(first.studyUid, 2);
    ObjectLocation hot = stored.objectLocation();

    // A move of another object version than the index has is not applied (version 2 of 1) ...
    publishMove(stored, 2, "hot", hot, "wrong", in("strata-wrong", hot));
    // ... so this move, from where the index really points, is; had the first one been applied,
    // the index would not point at hot any more and this one would not apply.
    InstanceMoved toCold = move(stored, 1, "hot", hot, "cold", in("strata-cold", hot));
    publish(toCold);
    awaitLocation(first.sopUid, "cold|strata-cold|" + hot.key());

    publishMove(stored, 1, "cold", in("strata-cold", hot), "archive", in("strata-archive", hot));
    awaitLocation(first.sopUid, "archive|strata-archive|" + hot.key());

    // A replay of the earlier move, then a move of another instance of the study (same key, same
    // partition, so applied after the replay): the replay left the location as it was.
    publish(toCold);
    ObjectLocation otherHot = other.build().objectLocation();
    publishMove(other.build(), 1, "hot", otherHot, "cold", in("strata-cold", otherHot));
    awaitLocation(other.sopUid, "cold|strata-cold|" + otherHot.key());
    assertEquals("archive|strata-archive|" + hot.key(), location(first.sopUid));
  }

  private static ObjectLocation in(String bucket, ObjectLocation l) {
    return new ObjectLocation(
        bucket, l.key(), l.size(), l.sha256(), l.sidecarKey(), l.frameIndexKey());
  }

  private static InstanceMoved move(
      InstanceStored s,
      int version,
      String fromTier,
      ObjectLocation from,
      String toTier,
      ObjectLocation to) {
    return new InstanceMoved(
        UUID.randomUUID().toString(),
        Instant.now(),
        s.tenant(),
        s.studyInstanceUid(),
        s.seriesInstanceUid(),
        s.sopInstanceUid(),
        version,
        UUID.randomUUID().toString(),
        fromTier,
        from,
        toTier,
        to);
  }

  private void publishMove(
      InstanceStored s,
      int version,
      String fromTier,
      ObjectLocation from,
      String toTier,
      ObjectLocation to) {
    publish(move(s, version, fromTier, from, toTier, to));
  }

  private void publish(InstanceMoved e) {
    try {
      producer
          .send(new ProducerRecord<>(Topics.INSTANCE_MOVED.name(), e.key(), EventCodec.encode(e)))
          .get();
    } catch (Exception ex) {
      throw new IllegalStateException(ex);
    }
  }

  private String location(String sop) throws Exception {
    return query(
        "select l.tier || '|' || l.bucket || '|' || l.object_key from object_location l join"
            + " instance i on i.pk = l.instance_pk where i.sop_instance_uid = '"
            + sop
            + "'");
  }

  private void awaitLocation(String sop, String expected) {
    await().atMost(WAIT).until(() -> expected.equals(location(sop)));
  }
}
