package org.strata.dicom.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Set;
import org.strata.dicom.net.pdu.AAssociateRJ;
import org.strata.dicom.net.pdu.AAssociateRJException;
import org.strata.dicom.net.pdu.AAssociateRQ;

/**
 * Production's acceptance of calling AEs: the calling AE title must be in the known-AE file and the
 * association must come from the host registered for it there. Anything else is rejected
 * (permanent, service-user, reason 3 "calling AE title not recognized"): an AE title is a name any
 * peer can send, the source address at least ties it to a machine of the hospital's network.
 *
 * <p>A registered IP literal is compared with the peer's address; a host name is resolved when an
 * association arrives (the JVM caches lookups), and any of its addresses matches. An AE registered
 * without a host ({@code -}) is refused: there is nothing to check it against.
 */
public final class CallingHostCheck implements AssociationAcceptor.WithPeerCertificate {

  /** Resolves a registered host to its addresses; replaceable in tests. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final KnownAes knownAes;
  private final Resolver resolver;

  public CallingHostCheck(KnownAes knownAes) {
    this(knownAes, InetAddress::getAllByName);
  }

  public CallingHostCheck(KnownAes knownAes, Resolver resolver) {
    this.knownAes = knownAes;
    this.resolver = resolver;
  }

  /**
   * Also, for an AE registered with a client certificate: the association must come over TLS with
   * exactly that certificate (an AE title and a source address can be borrowed by another machine
   * of the network, a private key cannot).
   */
  @Override
  public void check(
      AAssociateRQ rq,
      InetSocketAddress remote,
      Set<String> localAeTitles,
      java.security.cert.X509Certificate peerCertificate)
      throws AAssociateRJException {
    checkHost(rq, remote);
    String registered = knownAes.find(rq.callingAE()).certificateSha256();
    if (registered == null) {
      return;
    }
    if (peerCertificate == null) {
      throw rejected(
          "calling AE not recognized (registered with a client certificate, none sent):");
    }
    if (!registered.equals(sha256(peerCertificate))) {
      throw rejected(
          "calling AE not recognized (client certificate is not the one registered for it):");
    }
  }

  /** SHA-256 of the certificate's DER, lower-case hex (what {@code cert=sha256:} registers). */
  public static String sha256(java.security.cert.X509Certificate certificate) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 and DER encoding are in every JDK", e);
    }
  }

  private void checkHost(AAssociateRQ rq, InetSocketAddress remote) throws AAssociateRJException {
    KnownAes.KnownAe known = knownAes.find(rq.callingAE());
    if (known == null) {
      throw rejected("calling AE not recognized (not in the known-AE file):");
    }
    if (known.host() == null) {
      throw rejected("calling AE not recognized (no host registered for it):");
    }
    if (remote == null || remote.getAddress() == null || !from(known.host(), remote.getAddress())) {
      throw rejected("calling AE not recognized (calls from another host than registered):");
    }
  }

  private boolean from(String registered, InetAddress peer) {
    try {
      for (InetAddress a : resolver.resolve(registered)) {
        if (a.equals(peer)) {
          return true;
        }
      }
      return false;
    } catch (UnknownHostException e) {
      return false; // a registered name that does not resolve admits nobody
    }
  }

  private static AAssociateRJException rejected(String why) {
    return new AAssociateRJException(
        AAssociateRJ.RESULT_PERMANENT,
        AAssociateRJ.SOURCE_SERVICE_USER,
        AAssociateRJ.REASON_CALLING_AE_NOT_RECOGNIZED,
        why);
  }
}
