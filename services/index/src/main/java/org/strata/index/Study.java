package org.strata.index;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.LocalDate;
import java.time.LocalTime;
import org.hibernate.annotations.Immutable;

/**
 * A study row as read by the admin API and the tests. The indexer writes studies with SQL upserts
 * ({@code IndexRepository}), so this mapping is read-only.
 */
@Entity
@Immutable
@Table(name = "study")
public class Study {
  @Id public Long pk;

  public String tenant;

  @Column(name = "study_uid")
  public String studyUid;

  @Column(name = "patient_pk")
  public Long patientPk;

  @Column(name = "study_date")
  public LocalDate studyDate;

  @Column(name = "study_time")
  public LocalTime studyTime;

  @Column(name = "accession_number")
  public String accessionNumber;

  @Column(name = "study_description")
  public String studyDescription;

  @Column(name = "number_of_series")
  public int numberOfSeries;

  @Column(name = "number_of_instances")
  public int numberOfInstances;

  @Column(name = "modalities_in_study")
  public String[] modalitiesInStudy;
}
