package org.strata.dicom.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.strata.dicom.net.pdu.AAssociateRJ;
import org.strata.dicom.net.pdu.AAssociateRJException;
import org.strata.dicom.net.pdu.AAssociateRQ;

class CallingHostCheckTest {
  private static final KnownAes KNOWN =
      KnownAes.parse(
          List.of(
              "CT01 10.0.0.5 - hosp-a",
              "VIEWER viewer.hosp-a 104 hosp-a",
              "NOHOST - - hosp-a",
              "GONE gone.invalid - hosp-a"),
          "f");

  private static final CallingHostCheck CHECK =
      new CallingHostCheck(
          KNOWN,
          host ->
              switch (host) {
                case "viewer.hosp-a" ->
                    new InetAddress[] {ip("10.0.0.6"), ip("10.0.0.7")}; // two addresses
                case "gone.invalid" -> throw new UnknownHostException(host);
                default -> new InetAddress[] {ip(host)};
              });

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal); // literals only: no lookup
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static void check(String callingAe, String from) throws AAssociateRJException {
    AAssociateRQ rq =
        new AAssociateRQ(
            1, "STRATA", callingAe, Implementation.APPLICATION_CONTEXT, List.of(), null);
    CHECK.check(rq, new InetSocketAddress(ip(from), 40000), Set.of("STRATA"));
  }

  @Test
  void aKnownAeIsAcceptedFromItsRegisteredHostByAddressOrName() throws Exception {
    check("CT01", "10.0.0.5");
    check("VIEWER", "10.0.0.7");
    check("VIEWER", "10.0.0.6");
  }

  @Test
  void everythingElseIsRejectedPermanentlyAsCallingAeNotRecognized() {
    for (String[] c :
        List.of(
            new String[] {"CT01", "10.0.0.6"}, // another host
            new String[] {"VIEWER", "10.0.0.5"},
            new String[] {"UNKNOWN", "10.0.0.5"}, // not in the file
            new String[] {"NOHOST", "10.0.0.5"}, // no host registered
            new String[] {"GONE", "10.0.0.5"})) { // registered name does not resolve
      AAssociateRJException e =
          assertThrows(AAssociateRJException.class, () -> check(c[0], c[1]), c[0] + " " + c[1]);
      assertEquals(AAssociateRJ.RESULT_PERMANENT, e.result());
      assertEquals(AAssociateRJ.SOURCE_SERVICE_USER, e.source());
      assertEquals(AAssociateRJ.REASON_CALLING_AE_NOT_RECOGNIZED, e.reason());
    }
  }
}
