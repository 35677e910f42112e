package org.strata.dicom.net;

import java.net.InetSocketAddress;
import java.util.Set;
import org.strata.dicom.net.pdu.AAssociateRJ;
import org.strata.dicom.net.pdu.AAssociateRJException;
import org.strata.dicom.net.pdu.AAssociateRQ;

/**
 * Acceptor policy, asked before negotiation: throw {@link AAssociateRJException} to reject. Combine
 * policies with {@link #and}.
 */
@FunctionalInterface
public interface AssociationAcceptor {

  /**
   * @param rq the request
   * @param remote the peer's address
   * @param localAeTitles the AE titles the server serves
   */
  void check(AAssociateRQ rq, InetSocketAddress remote, Set<String> localAeTitles)
      throws AAssociateRJException;

  /**
   * The check with the peer's TLS client certificate, which the server calls; policies that look at
   * the certificate override it, the others are the three-argument check.
   *
   * @param peerCertificate the certificate the peer authenticated with over DICOM TLS; null over
   *     plain TCP or without one
   */
  default void check(
      AAssociateRQ rq,
      InetSocketAddress remote,
      Set<String> localAeTitles,
      java.security.cert.X509Certificate peerCertificate)
      throws AAssociateRJException {
    check(rq, remote, localAeTitles);
  }

  /** Rejects (permanent, service-user, reason 7) a called AE title the server does not serve. */
  static AssociationAcceptor knownCalledAE() {
    return (rq, remote, local) -> {
      if (!local.contains(rq.calledAE())) {
        throw new AAssociateRJException(
            AAssociateRJ.RESULT_PERMANENT,
            AAssociateRJ.SOURCE_SERVICE_USER,
            AAssociateRJ.REASON_CALLED_AE_NOT_RECOGNIZED,
            "called AE title not served:");
      }
    };
  }

  /** Accepts every called AE title (promiscuous): unknown ones get the first AE's capabilities. */
  static AssociationAcceptor anyCalledAE() {
    return (rq, remote, local) -> {};
  }

  /** Rejects (permanent, service-user, reason 3) a calling AE title not in {@code allowed}. */
  static AssociationAcceptor callingAEIn(Set<String> allowed) {
    Set<String> copy = Set.copyOf(allowed);
    return (rq, remote, local) -> {
      if (!copy.contains(rq.callingAE())) {
        throw new AAssociateRJException(
            AAssociateRJ.RESULT_PERMANENT,
            AAssociateRJ.SOURCE_SERVICE_USER,
            AAssociateRJ.REASON_CALLING_AE_NOT_RECOGNIZED,
            "calling AE title not allowed:");
      }
    };
  }

  /** Told of an association a policy rejects, before the rejection goes out (to record it). */
  @FunctionalInterface
  interface RejectionListener {
    void rejected(AAssociateRQ rq, InetSocketAddress remote);
  }

  /** This policy, telling {@code listener} of every association it rejects. */
  default AssociationAcceptor onRejected(RejectionListener listener) {
    return (WithPeerCertificate)
        (rq, remote, local, peer) -> {
          try {
            check(rq, remote, local, peer);
          } catch (AAssociateRJException e) {
            listener.rejected(rq, remote);
            throw e;
          }
        };
  }

  default AssociationAcceptor and(AssociationAcceptor next) {
    return (WithPeerCertificate)
        (rq, remote, local, peer) -> {
          check(rq, remote, local, peer);
          next.check(rq, remote, local, peer);
        };
  }

  /**
   * A policy written against the peer's certificate: the three-argument check is the check without
   * one. Combinators return it, so the certificate reaches every policy they combine.
   */
  @FunctionalInterface
  interface WithPeerCertificate extends AssociationAcceptor {
    @Override
    void check(
        AAssociateRQ rq,
        InetSocketAddress remote,
        Set<String> localAeTitles,
        java.security.cert.X509Certificate peerCertificate)
        throws AAssociateRJException;

    @Override
    default void check(AAssociateRQ rq, InetSocketAddress remote, Set<String> localAeTitles)
        throws AAssociateRJException {
      check(rq, remote, localAeTitles, null);
    }
  }
}
