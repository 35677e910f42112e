package org.strata.index;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.strata.events.EventCodec;
import org.strata.events.InstanceIndexed;
import org.strata.events.InstanceStored;
import org.strata.events.StudyUpdated;
import org.strata.events.Topics;
import org.strata.testkit.PlatformTestResource;

/**
 * The index service on the real platform: InstanceStored events published to Kafka end up as rows
 * in PostgreSQL, exactly once, with the aggregates and patient rules of the index.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres"))
class InstanceIndexingTest extends IndexTestSupport {
  @Test
  void aStudyOfTwoSeriesIsIndexedWithItsAggregates() throws Exception {
    InstanceStoredMother first = new InstanceStoredMother();
    List<InstanceStored> events = new ArrayList<>();
    InstanceStoredMother next = first;
    for (int i = 0; i < 3; i++) {
      events.add(next.build());
      next = next.nextInstance();
    }
    InstanceStoredMother mr = first.nextSeries("MR", InstanceStoredMother.MR);
    events.add(mr.build());
    events.add(mr.nextInstance().build());
    events.forEach(this::publish);

    awaitInstances(first.studyUid, 5);
    assertEquals(
        "2|5|CT\\MR|" + InstanceStoredMother.CT + "\\" + InstanceStoredMother.MR,
        query(
            "select number_of_series || '|' || number_of_instances || '|' ||"
                + " array_to_string(modalities_in_study, '\\') || '|' ||"
                + " array_to_string(sop_classes_in_study, '\\') from study where study_uid = '"
                + first.studyUid
                + "'"));
    assertEquals(
        "3,2",
        query(
            "select string_agg(s.number_of_instances::text, ',' order by series_number) from series"
                + " s join study st on st.pk = s.study_pk where st.study_uid = '"
                + first.studyUid
                + "'"));
    assertEquals(
        "2025-01-02|10:15:00|CT HEAD|" + first.accession,
        query(
            "select study_date || '|' || study_time || '|' || study_description || '|' ||"
                + " accession_number from study where study_uid = '"
                + first.studyUid
                + "'"));
    assertEquals(
        "strata-objects|524288",
        query(
            "select bucket || '|' || size from object_location l join instance i on i.pk ="
                + " l.instance_pk where i.sop_instance_uid = '"
                + first.sopUid
                + "'"));

    // The attributes are kept as the DICOM JSON object they are, readable by path.
    assertEquals(
        "object|CT HEAD",
        query(
            "select jsonb_typeof(attributes) || '|' || (attributes #>> '{00081030,Value,0}') from"
                + " instance where sop_instance_uid = '"
                + first.sopUid
                + "'"));

    // Follow-up events: InstanceIndexed for every instance, StudyUpdated with the aggregates.
    Set<String> indexed = new HashSet<>();
    StudyUpdated[] last = new StudyUpdated[1];
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      consumer.subscribe(List.of(Topics.INSTANCE_INDEXED.name(), Topics.STUDY_UPDATED.name()));
      await()
          .atMost(WAIT)
          .until(
              () -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                  if (!first.studyUid.equals(r.key())) {
                    continue;
                  }
                  switch (EventCodec.decode(r.value())) {
                    case InstanceIndexed e -> indexed.add(e.sopInstanceUid());
                    case StudyUpdated e -> last[0] = e;
                    default -> {}
                  }
                }
                return indexed.size() == 5 && last[0] != null && last[0].numberOfInstances() == 5;
              });
    }
    assertEquals(2, last[0].numberOfSeries());
    assertEquals(List.of("CT", "MR"), last[0].modalitiesInStudy());
  }

  @Test
  void aStudysAccessLabelsAreTheUnionOfItsInstancesLabels() throws Exception {
    InstanceStoredMother first = new InstanceStoredMother();
    InstanceStoredMother second = first.nextSeries("MR", InstanceStoredMother.MR);
    publish(first.build().withAccessLabels(List.of("cardiology")));
    publish(second.build().withAccessLabels(List.of("radiology", "cardiology")));
    publish(second.nextInstance().build()); // no label: takes none away
    awaitInstances(first.studyUid, 3);
    assertEquals(
        "cardiology,radiology",
        query(
            "select array_to_string(access_labels, ',') from study where study_uid = '"
                + first.studyUid
                + "'"));
  }

  @Test
  void aLargeSeriesArrivingAtOnceIsIndexedInFullBatches() throws Exception {
    // 1,200 events of one series sent without waiting: polls return full batches (500), as when
    // the index starts behind a backlog or a PACS pushes a CT series.
    InstanceStoredMother next = new InstanceStoredMother();
    String study = next.studyUid;
    List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
    for (int i = 0; i < 1200; i++) {
      InstanceStored e = next.build();
      sent.add(
          producer.send(
              new org.apache.kafka.clients.producer.ProducerRecord<>(
                  org.strata.events.Topics.INSTANCE_STORED.name(),
                  e.key(),
                  org.strata.events.EventCodec.encode(e))));
      next = next.nextInstance();
    }
    for (java.util.concurrent.Future<?> f : sent) {
      f.get();
    }
    awaitInstances(study, 1200);
    assertEquals(
        "1|1200",
        query(
            "select number_of_series || '|' || number_of_instances from study where study_uid = '"
                + study
                + "'"));
  }

  @Test
  void replayingEventsChangesNothing() throws Exception {
    InstanceStoredMother a = new InstanceStoredMother();
    List<InstanceStored> events = List.of(a.build(), a.nextInstance().build());
    events.forEach(this::publish);
    awaitInstances(a.studyUid, 2);
    String before = snapshot(a.studyUid);

    // The same records twice more, as a consumer-group reset or a crash before the offset commit
    // would deliver them; then a marker event to know the replays were consumed.
    events.forEach(this::publish);
    events.forEach(this::publish);
    InstanceStoredMother marker = new InstanceStoredMother();
    marker.studyUid = a.studyUid;
    marker.seriesUid = InstanceStoredMother.uid();
    publish(marker.build());
    awaitInstances(a.studyUid, 3);

    assertEquals("1|2|2|1|2", before);
    assertEquals("2|3|3|2|3", snapshot(a.studyUid));
    assertEquals(
        "0",
        query(
            "select count(*) from patient_change c join patient p on p.pk = c.patient_pk where"
                + " p.patient_id = '"
                + a.patientId
                + "'"));
  }

  @Test
  void aPoisonEventGoesToTheDeadLetterTopicAndTheNextOneIsIndexed() throws Exception {
    String key = "poison-" + UUID.randomUUID();
    producer
        .send(
            new ProducerRecord<>(
                Topics.INSTANCE_STORED.name(), key, "{not json".getBytes(StandardCharsets.UTF_8)))
        .get();
    InstanceStoredMother after = new InstanceStoredMother();
    publish(after.build());
    awaitInstances(after.studyUid, 1);

    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      consumer.subscribe(List.of(Topics.INDEX_DEAD_LETTER.name()));
      List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
      await()
          .atMost(WAIT)
          .until(
              () -> {
                consumer
                    .poll(Duration.ofMillis(500))
                    .forEach(
                        r -> {
                          if (key.equals(r.key())) {
                            found.add(r);
                          }
                        });
                return !found.isEmpty();
              });
      assertEquals("{not json", new String(found.get(0).value(), StandardCharsets.UTF_8));
      assertNotNull(found.get(0).headers().lastHeader("dead-letter-reason"));
    }
  }

  @Test
  void anEventTheDatabaseRefusesIsDeadLetteredAloneAndTheRestOfItsBatchIsIndexed()
      throws Exception {
    // Sent back to back on one partition (same study key), so they share a poll when the consumer
    // is quick enough; PostgreSQL refuses a NUL character in text (SQLSTATE 22021).
    InstanceStoredMother good1 = new InstanceStoredMother();
    InstanceStoredMother poison = good1.nextInstance();
    poison.objectKey = "hosp-a/with\u0000nul.dcm";
    InstanceStoredMother good2 = poison.nextInstance();
    good2.objectKey = null;
    publishUnderOneKey(good1.studyUid, List.of(good1, poison, good2));

    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      consumer.subscribe(List.of(Topics.INDEX_DEAD_LETTER.name()));
      List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
      await()
          .atMost(WAIT)
          .until(
              () -> {
                consumer
                    .poll(Duration.ofMillis(500))
                    .forEach(
                        r -> {
                          if (good1.studyUid.equals(r.key())) {
                            found.add(r);
                          }
                        });
                return !found.isEmpty();
              });
      assertEquals(1, found.size());
      assertEquals(
          poison.sopUid,
          EventCodec.decode(found.get(0).value(), InstanceStored.class).sopInstanceUid());
      String reason =
          new String(
              found.get(0).headers().lastHeader("dead-letter-reason").value(),
              StandardCharsets.UTF_8);
      assertTrue(reason.startsWith("not applicable: SQLSTATE 22"), reason);
    }
    awaitInstances(good1.studyUid, 2);
    assertEquals("1|2|2|1|2", snapshot(good1.studyUid));
    assertEquals(
        "0",
        query("select count(*) from instance where sop_instance_uid = '" + poison.sopUid + "'"));
  }

  @Test
  void demographicsFollowTheNewestEventAndChangesAreRecorded() throws Exception {
    InstanceStoredMother v1 = new InstanceStoredMother();
    publish(v1.build());
    awaitInstances(v1.studyUid, 1);

    InstanceStoredMother renamed = v1.nextInstance();
    renamed.patientName = "Smith^Jane";
    renamed.occurredAt = v1.occurredAt.plusSeconds(60);
    publish(renamed.build());
    awaitInstances(v1.studyUid, 2);

    InstanceStoredMother stale = renamed.nextInstance();
    stale.patientName = "Older^Name";
    stale.occurredAt = v1.occurredAt.minusSeconds(3600);
    publish(stale.build());
    awaitInstances(v1.studyUid, 3);

    String where = " where patient_id = '" + v1.patientId + "' and tenant = 'hosp-a'";
    assertEquals(
        "Smith^Jane|SMITH JANE",
        query("select patient_name || '|' || patient_name_norm from patient" + where));
    assertEquals(
        "Doe^Jane>Smith^Jane",
        query(
            "select string_agg(old_name || '>' || new_name, ',') from patient_change c join"
                + " patient p on p.pk = c.patient_pk"
                + where.replace("patient_id", "p.patient_id").replace("tenant", "p.tenant")));
  }

  @Test
  void patientsAreScopedByTenantAndIssuer() throws Exception {
    InstanceStoredMother a = new InstanceStoredMother();
    InstanceStoredMother b = new InstanceStoredMother();
    b.tenant = "hosp-b";
    b.issuer = null; // gets hosp-b's default issuer
    b.patientId = a.patientId;
    InstanceStoredMother noId = new InstanceStoredMother();
    noId.patientId = null;
    publish(a.build());
    publish(b.build());
    publish(noId.build());
    awaitInstances(a.studyUid, 1);
    awaitInstances(b.studyUid, 1);
    awaitInstances(noId.studyUid, 1);

    assertEquals(
        "hosp-a:HOSP-A,hosp-b:STRATA-hosp-b",
        query(
            "select string_agg(tenant || ':' || issuer, ',' order by tenant) from patient where"
                + " patient_id = '"
                + a.patientId
                + "'"));
    assertEquals(
        "~" + noId.studyUid,
        query(
            "select p.patient_id from patient p join study s on s.patient_pk = p.pk where"
                + " s.study_uid = '"
                + noId.studyUid
                + "'"));
  }

  @Test
  void japaneseAndKoreanNamesAreStoredWithAllComponentGroups() throws Exception {
    InstanceStoredMother jp = new InstanceStoredMother();
    jp.patientName = "Yamada^Tarou";
    jp.ideographicName = "山田^太郎";
    publish(jp.build());
    InstanceStoredMother kr = new InstanceStoredMother();
    kr.patientName = "Hong^Gildong";
    kr.ideographicName = "洪^吉洞";
    publish(kr.build());
    awaitInstances(jp.studyUid, 1);
    awaitInstances(kr.studyUid, 1);
    assertEquals(
        "Yamada^Tarou=山田^太郎|YAMADA TAROU 山田 太郎",
        query(
            "select patient_name || '|' || patient_name_norm from patient where patient_id = '"
                + jp.patientId
                + "'"));
    assertEquals(
        "HONG GILDONG 洪 吉洞",
        query("select patient_name_norm from patient where patient_id = '" + kr.patientId + "'"));
  }

  @Test
  void lagAndOutcomesAreExposedAsMetrics() {
    InstanceStoredMother m = new InstanceStoredMother();
    m.occurredAt = java.time.Instant.now();
    publish(m.build());
    awaitInstances(m.studyUid, 1);
    String metrics =
        io.restassured.RestAssured.given()
            .get("/q/metrics")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertTrue(metrics.contains("strata_index_lag_seconds_count"), "lag timer missing");
    assertTrue(
        metrics.contains("strata_index_instances_total{outcome=\"CREATED\"}"),
        "outcome counter missing");
    assertTrue(
        metrics.contains("kafka_consumer_fetch_manager_records_lag"), "consumer lag missing");
  }
}
