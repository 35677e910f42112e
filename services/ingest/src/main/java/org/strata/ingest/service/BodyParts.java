package org.strata.ingest.service;

import java.io.IOException;

/** The parts of a STOW-RS request body, in order, as the REST layer reads them. */
@FunctionalInterface
public interface BodyParts {
  /** The next part (the previous one's body is then finished), or null after the last. */
  BodyPart next() throws IOException;
}
