package org.strata.dicom.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.strata.ids.TenantId;

class KnownAesTest {

  @Test
  void parsesEntriesCommentsAndCallInOnlyAes() {
    KnownAes aes =
        KnownAes.parse(
            List.of(
                "# AE title host port tenant",
                "",
                "CT01   -   -   hosp-a   # modality",
                "  VIEWER\t10.0.0.7  104 hosp-b",
                "V6 [::1] 11112 hosp-b"),
            "f");
    assertEquals(3, aes.size());
    assertEquals(new KnownAes.KnownAe("CT01", null, 0, TenantId.parse("hosp-a")), aes.find("CT01"));
    assertNull(aes.find("CT01").address());
    assertEquals("hosp-b", aes.find("VIEWER ").tenant().value());
    assertEquals(InetSocketAddress.createUnresolved("10.0.0.7", 104), aes.find("VIEWER").address());
    assertEquals("::1", aes.find("V6").host());
    assertNull(aes.find("ct01"), "AE titles are case-sensitive");
    assertNull(aes.find(null));
  }

  @Test
  void aHostWithoutPortCallsInFromThereButIsNoDestination() {
    KnownAes aes = KnownAes.parse(List.of("CT02 10.0.0.9 - hosp-a"), "f");
    assertEquals(
        new KnownAes.KnownAe("CT02", "10.0.0.9", 0, TenantId.parse("hosp-a")), aes.find("CT02"));
    assertNull(aes.find("CT02").address());
  }

  @Test
  void aTenantWithADotOrUpperCaseIsReadInItsLowerCaseForm() {
    KnownAes aes = KnownAes.parse(List.of("CT01 - - Hosp.A", "MR01 - - st-marys"), "f");
    assertEquals(TenantId.parse("hosp.a"), aes.find("CT01").tenant());
    assertEquals("st-marys", aes.find("MR01").tenant().value());
  }

  @Test
  void aClientCertificateFingerprintIsReadWithOrWithoutColons() {
    String hex = "ab".repeat(32);
    KnownAes aes =
        KnownAes.parse(
            List.of(
                "CT01 10.0.0.5 - hosp-a cert=sha256:" + hex.toUpperCase(),
                "CT02 10.0.0.6 - hosp-a cert=sha256:" + String.join(":", hex.split("(?<=\\G..)"))),
            "f");
    assertEquals(hex, aes.find("CT01").certificateSha256());
    assertEquals(hex, aes.find("CT02").certificateSha256());
    assertEquals(null, KnownAes.parse(List.of("CT03 - - t"), "f").find("CT03").certificateSha256());
    assertThrows(
        IllegalArgumentException.class,
        () -> KnownAes.parse(List.of("CT01 h - t cert=sha256:abcd"), "f"));
  }

  @Test
  void labelsLimitAnAeToDepartmentsInAnyOrderWithACertificate() {
    String hex = "cd".repeat(32);
    KnownAes aes =
        KnownAes.parse(
            List.of(
                "CARD - - hosp-a labels=Cardiology,radiology",
                "CARD-TLS 10.0.0.5 - hosp-a labels=cardiology cert=sha256:" + hex,
                "WHOLE - - hosp-a cert=sha256:" + hex),
            "f");
    assertEquals(Set.of("cardiology", "radiology"), aes.find("CARD").labels());
    assertEquals(Set.of("cardiology"), aes.find("CARD-TLS").labels());
    assertEquals(hex, aes.find("CARD-TLS").certificateSha256());
    assertEquals(Set.of(), aes.find("WHOLE").labels(), "no labels: the tenant whole");
    assertEquals(
        new KnownAes.KnownAe("WHOLE", null, 0, TenantId.parse("hosp-a"), hex), aes.find("WHOLE"));
  }

  @Test
  void malformedLinesStopTheStartWithTheirLineNumber() {
    for (String bad :
        List.of(
            "CT01 - - ",
            "CT01 - 104 hosp-a",
            "CT01 host 0 hosp-a",
            "CT01 host 70000 hosp-a",
            "CT01 host x hosp-a",
            "THIS-AE-TITLE-IS-TOO-LONG - - hosp-a",
            "CT01 - - bad/tenant",
            "CT01 - - hosp_a",
            "CT01 - - a b",
            "CT01 - - a labels=",
            "CT01 - - a labels=card,,rad",
            "CT01 - - a labels=card_iology",
            "CT01 - - a labels=x labels=y",
            "CT01 - - a labels=x cert=sha256:abcd",
            "CT01 - - a labels=x " + "cert=sha256:" + "ab".repeat(32) + " extra")) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> KnownAes.parse(List.of("# header", bad), "known-aes.conf"),
              bad);
      assertTrue(e.getMessage().startsWith("known-aes.conf:2: "), e.getMessage());
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> KnownAes.parse(List.of("A - - t", "A - - u"), "f"),
        "listed twice");
  }
}
