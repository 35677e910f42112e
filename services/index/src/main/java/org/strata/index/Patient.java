package org.strata.index;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.LocalDate;
import org.hibernate.annotations.Immutable;

/** A patient row, read-only (see {@link Study}). */
@Entity
@Immutable
@Table(name = "patient")
public class Patient {
  @Id public Long pk;

  public String tenant;

  @Column(name = "patient_id")
  public String patientId;

  public String issuer;

  @Column(name = "patient_name")
  public String patientName;

  @Column(name = "patient_name_norm")
  public String patientNameNorm;

  @Column(name = "birth_date")
  public LocalDate birthDate;

  public String sex;
}
