package org.strata.index.service;

import org.strata.index.repository.IndexRepository.Outcome;
import org.strata.index.repository.IndexRepository.StudyAggregates;

/** What indexing one event did, and the study's aggregates afterwards. */
public record IndexResult(Outcome outcome, StudyAggregates study) {}
