package org.strata.dicom.net;

/**
 * What a server's user wants to hear about its associations; both methods run on the association's
 * own thread (ADR 0003), so they may block it.
 */
public interface AssociationListener {

  /** Nothing to hear. */
  AssociationListener NONE = new AssociationListener() {};

  /**
   * The association was accepted (A-ASSOCIATE-AC sent), before its first message is read: once per
   * association, the place to note who called. An exception aborts the association.
   */
  default void accepted(Association association) {}

  /**
   * The peer asked to release (A-RELEASE-RQ received, Sta8); the A-RELEASE-RP goes out when this
   * returns, so a user can hold the release until work the association caused is done (e.g. the
   * stored instances are searchable). Bound the wait: the peer waits with its own timer. An
   * exception is logged and the association released anyway.
   */
  default void beforeReleaseResponse(Association association) {}

  /** The association ended, however (released, aborted, rejected, connection lost). */
  default void ended(Association association) {}

  /** This listener, then {@code next}, for every event. */
  default AssociationListener and(AssociationListener next) {
    AssociationListener first = this;
    return new AssociationListener() {
      @Override
      public void accepted(Association association) {
        first.accepted(association);
        next.accepted(association);
      }

      @Override
      public void beforeReleaseResponse(Association association) {
        first.beforeReleaseResponse(association);
        next.beforeReleaseResponse(association);
      }

      @Override
      public void ended(Association association) {
        try {
          first.ended(association);
        } finally {
          next.ended(association);
        }
      }
    };
  }
}
