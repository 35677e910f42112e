package org.strata.tiering.service;

/**
 * How long a tenant keeps its studies: {@code yearsAfterStudy} years after the Study Date and, when
 * {@code untilAge} is set, at least until the patient's birthday of that age (children's records).
 * A study without a Study Date never expires (it is kept: nothing to count from).
 */
public record RetentionRule(String name, String tenant, int yearsAfterStudy, Integer untilAge) {}
