package org.strata.index;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.strata.testkit.PlatformTestResource;

/**
 * Ingest's duplicate policy "keep as new version": an InstanceStored with a higher version for a
 * SOP Instance UID already indexed replaces the instance's object location and keeps the counts; an
 * older version arriving late replaces nothing.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres"))
class ObjectVersionTest extends IndexTestSupport {

  /** Version, object key and creating event of the instance, and how many locations it has. */
  private String state(String sopUid) throws Exception {
    return query(
        "select i.version || '|' || l.object_key || '|' || i.stored_event_id || '|' || (select"
            + " count(*) from object_location x where x.instance_pk = i.pk) || '|' || (select"
            + " count(*) from instance y where y.sop_instance_uid = i.sop_instance_uid) from"
            + " instance i join object_location l on l.instance_pk = i.pk where i.sop_instance_uid"
            + " = '"
            + sopUid
            + "'");
  }

  private static InstanceStoredMother version(InstanceStoredMother m, int version, String key) {
    InstanceStoredMother v = m.copy();
    v.version = version;
    v.objectKey = key;
    v.eventId = UUID.randomUUID().toString();
    v.occurredAt = m.occurredAt.plusSeconds(60L * version);
    return v;
  }

  @Test
  void aLaterVersionReplacesTheLocationAndAnOlderOneArrivingLateDoesNot() throws Exception {
    InstanceStoredMother i1 = new InstanceStoredMother();
    i1.objectKey = "v/" + i1.sopUid + "/1.dcm";
    InstanceStoredMother i2 = i1.nextInstance();
    i2.objectKey = null;
    publish(i1.build());
    publish(i2.build());
    awaitInstances(i1.studyUid, 2);
    assertEquals("1|v/" + i1.sopUid + "/1.dcm|" + i1.eventId + "|1|1", state(i1.sopUid));

    InstanceStoredMother v2 = version(i1, 2, "v/" + i1.sopUid + "/2.dcm");
    publish(v2.build());
    await().atMost(WAIT).until(() -> state(i1.sopUid).startsWith("2|"));
    assertEquals("2|v/" + i1.sopUid + "/2.dcm|" + v2.eventId + "|1|1", state(i1.sopUid));
    // series|instances of the study, its locations, series rows, instance rows: unchanged.
    assertEquals("1|2|2|1|2", snapshot(i1.studyUid));
    assertEquals(
        "2",
        query("select number_of_instances from series where series_uid = '" + i1.seriesUid + "'"));

    // Version 1 again (a late redelivery of another copy), then a new instance of the study: the
    // new instance is on the same partition after it, so once it is indexed the late one was
    // handled.
    InstanceStoredMother late = version(i1, 1, "v/" + i1.sopUid + "/1-late.dcm");
    late.occurredAt = Instant.parse("2025-01-02T09:00:00Z");
    InstanceStoredMother i3 = i2.nextInstance();
    publish(late.build());
    publish(i3.build());
    awaitInstances(i1.studyUid, 3);
    assertEquals("2|v/" + i1.sopUid + "/2.dcm|" + v2.eventId + "|1|1", state(i1.sopUid));
    assertEquals("1|3|3|1|3", snapshot(i1.studyUid));
  }

  /** The instance's metadata row (ADR 0045) as hex, "none" without one. */
  private String metadata(String sopUid) throws Exception {
    return query(
        "select coalesce((select encode(m.metadata, 'hex') from instance_metadata m where"
            + " m.instance_pk = i.pk), 'none') from instance i where i.sop_instance_uid = '"
            + sopUid
            + "'");
  }

  @Test
  void theMetadataRowIsTheCurrentVersionsAndGoesWithTheInstance() throws Exception {
    InstanceStoredMother i1 = new InstanceStoredMother();
    i1.metadata = new byte[] {1, 2, 3};
    InstanceStoredMother without = i1.nextInstance();
    without.metadata = null;
    publish(i1.build());
    publish(without.build());
    awaitInstances(i1.studyUid, 2);
    assertEquals("010203", metadata(i1.sopUid));
    assertEquals("none", metadata(without.sopUid));

    InstanceStoredMother v2 = version(i1, 2, "m/" + i1.sopUid + "/2.dcm");
    v2.metadata = new byte[] {4, 5};
    publish(v2.build());
    await().atMost(WAIT).until(() -> metadata(i1.sopUid).equals("0405"));

    // A later version without metadata (e.g. made from the object, not the header) has none:
    // never the previous version's.
    InstanceStoredMother v3 = version(i1, 3, "m/" + i1.sopUid + "/3.dcm");
    v3.metadata = null;
    publish(v3.build());
    await().atMost(WAIT).until(() -> state(i1.sopUid).startsWith("3|"));
    assertEquals("none", metadata(i1.sopUid));

    // An older version arriving late changes nothing.
    InstanceStoredMother late = version(i1, 2, "m/" + i1.sopUid + "/2-late.dcm");
    late.metadata = new byte[] {9};
    InstanceStoredMother sentinel = without.nextInstance();
    publish(late.build());
    publish(sentinel.build());
    awaitInstances(i1.studyUid, 3);
    assertEquals("none", metadata(i1.sopUid));
  }

  @Test
  void versionsArrivingTogetherKeepTheNewest() throws Exception {
    InstanceStoredMother i1 = new InstanceStoredMother();
    i1.objectKey = "w/" + i1.sopUid + "/1.dcm";
    InstanceStoredMother v3 = version(i1, 3, "w/" + i1.sopUid + "/3.dcm");
    InstanceStoredMother v2 = version(i1, 2, "w/" + i1.sopUid + "/2.dcm");
    InstanceStoredMother other = i1.nextInstance();
    other.objectKey = null;
    // In one go, likely one batch: 1, 3, then 2 late, then another instance as the sentinel.
    for (InstanceStoredMother m : new InstanceStoredMother[] {i1, v3, v2, other}) {
      publish(m.build());
    }
    awaitInstances(i1.studyUid, 2);
    assertEquals("3|w/" + i1.sopUid + "/3.dcm|" + v3.eventId + "|1|1", state(i1.sopUid));
    assertEquals("1|2|2|1|2", snapshot(i1.studyUid));
  }
}
