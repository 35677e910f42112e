package org.strata.dicom.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DICOM TLS: DCMTK's echoscu and storescu with {@code +tls} against our TLS SCP, and our client
 * over TLS to our server. Keys and self-signed certificates are made by openssl in a temporary
 * directory; each side trusts exactly the other's certificate.
 */
class TlsTest {
  static final char[] PW = "changeit".toCharArray();

  @TempDir Path tmp;

  Path serverKey;
  Path serverCert;
  Path clientKey;
  Path clientCert;
  Path strangerKey;
  Path strangerCert;
  ReceivingServer receiver;

  @BeforeEach
  void keys() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl missing");
    serverKey = tmp.resolve("server.key");
    serverCert = tmp.resolve("server.crt");
    clientKey = tmp.resolve("client.key");
    clientCert = tmp.resolve("client.crt");
    strangerKey = tmp.resolve("stranger.key");
    strangerCert = tmp.resolve("stranger.crt");
    selfSigned(serverKey, serverCert, "strata-server");
    selfSigned(clientKey, clientCert, "strata-client");
    selfSigned(strangerKey, strangerCert, "stranger");
  }

  @AfterEach
  void close() {
    if (receiver != null) {
      receiver.close(); // asserts no thread or association left
    }
  }

  private static void run(String... cmd) throws Exception {
    Dcmtk.Result r = Dcmtk.run(Dcmtk.cmd(cmd));
    assertEquals(0, r.exitCode(), r.output());
  }

  private static void selfSigned(Path key, Path cert, String cn) throws Exception {
    run(
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        key.toString(),
        "-out",
        cert.toString(),
        "-days",
        "2",
        "-subj",
        "/CN=" + cn);
  }

  /** A PKCS12 key store with the key and certificate (made by openssl). */
  private Path keyStore(Path key, Path cert) throws Exception {
    Path p12 = tmp.resolve(key.getFileName() + ".p12");
    run(
        "openssl",
        "pkcs12",
        "-export",
        "-inkey",
        key.toString(),
        "-in",
        cert.toString(),
        "-name",
        "key",
        "-out",
        p12.toString(),
        "-passout",
        "pass:" + new String(PW));
    return p12;
  }

  /** A PKCS12 trust store with exactly these certificates. */
  private Path trustStore(String name, Path... certs) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    int i = 0;
    for (Path c : certs) {
      try (InputStream in = Files.newInputStream(c)) {
        ks.setCertificateEntry("trusted-" + i++, cf.generateCertificate(in));
      }
    }
    Path p = tmp.resolve(name + ".p12");
    try (OutputStream out = Files.newOutputStream(p)) {
      ks.store(out, PW);
    }
    return p;
  }

  private TlsConfig serverTls() throws Exception {
    return TlsConfig.of(
            keyStore(serverKey, serverCert), PW, trustStore("server-trust", clientCert), PW)
        .withClientAuth(TlsConfig.ClientAuth.NEED);
  }

  private ReceivingServer tlsReceiver(TlsConfig tls) throws Exception {
    receiver =
        new ReceivingServer(
            tmp.resolve("rcv"), AssociationConfig.DEFAULTS, UserIdentityAuthenticator.NONE, tls);
    return receiver;
  }

  @Test
  void dcmtkOverTlsToOurScp() throws Exception {
    assumeTrue(Dcmtk.available("echoscu") && Dcmtk.available("storescu"), "dcmtk missing");
    ReceivingServer rcv = tlsReceiver(serverTls());
    List<String> tls =
        List.of("+tls", clientKey.toString(), clientCert.toString(), "+cf", serverCert.toString());

    List<String> echo = Dcmtk.cmd("echoscu", "-aec", "STRATA");
    echo.addAll(tls);
    echo.addAll(List.of("127.0.0.1", "" + rcv.port()));
    Dcmtk.Result r = Dcmtk.run(echo);
    assertEquals(0, r.exitCode(), r.output());

    // storescu +tls: the instances arrive byte for byte
    Path a = TestFiles.write(tmp, "a.dcm", TestFiles.smallInstance("2.25.61.1", 1));
    Path b = TestFiles.write(tmp, "b.dcm", TestFiles.smallInstance("2.25.61.2", 2));
    List<String> store = Dcmtk.cmd("storescu", "-xi", "-aec", "STRATA");
    store.addAll(tls);
    store.addAll(List.of("127.0.0.1", "" + rcv.port(), a.toString(), b.toString()));
    r = Dcmtk.run(store);
    assertEquals(0, r.exitCode(), r.output());
    assertEquals(2, rcv.received.size());
    for (ReceivingServer.Received got : rcv.received) {
      Path src = got.sopInstanceUid().equals("2.25.61.1") ? a : b;
      assertArrayEquals(SampleFiles.dataset(Part10File.read(src)), Files.readAllBytes(got.file()));
    }

    // without TLS, and with a certificate the server does not trust: no association
    r = Dcmtk.run(Dcmtk.cmd("echoscu", "-aec", "STRATA", "127.0.0.1", "" + rcv.port()));
    assertNotEquals(0, r.exitCode(), r.output());
    List<String> stranger =
        Dcmtk.cmd(
            "echoscu",
            "-aec",
            "STRATA",
            "+tls",
            strangerKey.toString(),
            strangerCert.toString(),
            "+cf",
            serverCert.toString(),
            "127.0.0.1",
            "" + rcv.port());
    r = Dcmtk.run(stranger);
    assertNotEquals(0, r.exitCode(), r.output());
    // and a server certificate the client does not trust
    List<String> distrust =
        Dcmtk.cmd(
            "echoscu",
            "-aec",
            "STRATA",
            "+tls",
            clientKey.toString(),
            clientCert.toString(),
            "+cf",
            strangerCert.toString(),
            "127.0.0.1",
            "" + rcv.port());
    r = Dcmtk.run(distrust);
    assertNotEquals(0, r.exitCode(), r.output());
    assertTrue(rcv.server.awaitIdle(Duration.ofSeconds(30)));
    assertEquals(2, rcv.received.size());
  }

  @Test
  void ourClientOverTlsToOurServer() throws Exception {
    ReceivingServer rcv = tlsReceiver(serverTls());
    TlsConfig client =
        TlsConfig.of(
            keyStore(clientKey, clientCert), PW, trustStore("client-trust", serverCert), PW);
    Path f = TestFiles.write(tmp, "c.dcm", TestFiles.smallInstance("2.25.62.1", 1));
    Part10File file = Part10File.read(f);
    for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
      DicomClient.Options opts =
          DicomClient.Options.DEFAULTS.withTls(client.withProtocols(protocol));
      try (DicomClient c =
          DicomClient.connect(
              "127.0.0.1",
              rcv.port(),
              "ME",
              "STRATA",
              DicomClient.proposal().verification().add(file),
              opts)) {
        SSLSocket s = (SSLSocket) socketOf(c);
        assertEquals(protocol, s.getSession().getProtocol());
        assertEquals(Status.SUCCESS, c.echo());
        assertEquals(Status.SUCCESS, c.store(file));
      }
    }
    assertEquals(2, rcv.received.size());
    for (ReceivingServer.Received got : rcv.received) {
      assertArrayEquals(SampleFiles.dataset(file), Files.readAllBytes(got.file()));
    }

    // a client without certificate is refused by a server that needs one
    TlsConfig anonymous = TlsConfig.of(null, null, trustStore("anon-trust", serverCert), PW);
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                DicomClient.connect(
                        "127.0.0.1",
                        rcv.port(),
                        "ME",
                        "STRATA",
                        DicomClient.proposal().verification(),
                        DicomClient.Options.DEFAULTS.withTls(anonymous))
                    .echo());
    assertInstanceOf(IOException.class, e);
    // a server we do not trust
    TlsConfig distrustful =
        TlsConfig.of(keyStore(clientKey, clientCert), PW, trustStore("other", strangerCert), PW);
    assertThrows(
        SSLException.class,
        () ->
            DicomClient.connect(
                "127.0.0.1",
                rcv.port(),
                "ME",
                "STRATA",
                DicomClient.proposal().verification(),
                DicomClient.Options.DEFAULTS.withTls(distrustful)));
    assertTrue(rcv.server.awaitIdle(Duration.ofSeconds(30)));
  }

  /** Our TLS client against DCMTK's storescp +tls (OpenSSL, BCP 195 profile). */
  @Test
  void ourClientOverTlsToStorescp() throws Exception {
    assumeTrue(Dcmtk.available("storescp"), "dcmtk missing");
    Path out = Files.createDirectories(tmp.resolve("storescp"));
    try (StoreScpProcess scp =
        new StoreScpProcess(
            out,
            "STORESCP",
            "+tls",
            serverKey.toString(),
            serverCert.toString(),
            "+cf",
            clientCert.toString())) {
      TlsConfig client =
          TlsConfig.of(
              keyStore(clientKey, clientCert), PW, trustStore("client-trust", serverCert), PW);
      Part10File file =
          Part10File.read(TestFiles.write(tmp, "d.dcm", TestFiles.smallInstance("2.25.63.1", 1)));
      try (DicomClient c =
          DicomClient.connect(
              "127.0.0.1",
              scp.port,
              "ME",
              "STORESCP",
              DicomClient.proposal().verification().add(file),
              DicomClient.Options.DEFAULTS.withTls(client))) {
        assertEquals(Status.SUCCESS, c.echo());
        assertEquals(Status.SUCCESS, c.store(file), scp.log());
      }
      List<Path> written;
      try (var files = Files.list(out)) {
        written = files.toList();
      }
      assertEquals(1, written.size(), scp.log());
      assertArrayEquals(
          SampleFiles.dataset(file), SampleFiles.dataset(Part10File.read(written.get(0))));
    }
  }

  /** A C-CANCEL-RQ is noticed over TLS too (bytes not yet decrypted are not "available"). */
  @Test
  void cancelOfAnEndlessFindOverTls() throws Exception {
    QrArchive archive = new QrArchive(tmp.resolve("archive"));
    DimseRegistry registry = new DimseRegistry().registerFind(archive.endlessHandler());
    try (DicomServer server =
        DicomServer.builder()
            .bind("127.0.0.1", 0)
            .archiveAE("QRSCP")
            .registry(registry)
            .tls(serverTls())
            .build()
            .start()) {
      TlsConfig client =
          TlsConfig.of(
              keyStore(clientKey, clientCert), PW, trustStore("client-trust", serverCert), PW);
      try (DicomClient c =
          DicomClient.connect(
              "127.0.0.1",
              server.port(),
              "ME",
              "QRSCP",
              DicomClient.proposal()
                  .verification()
                  .add(
                      org.strata.dicom.UID.StudyRootQueryRetrieveInformationModelFind,
                      org.strata.dicom.UID.ExplicitVRLittleEndian),
              DicomClient.Options.DEFAULTS.withTls(client))) {
        org.strata.dicom.Attributes keys = new org.strata.dicom.Attributes();
        keys.setString(org.strata.dicom.Tag.QueryRetrieveLevel, org.strata.dicom.VR.CS, "STUDY");
        DicomClient.FindResult r =
            c.find(org.strata.dicom.UID.StudyRootQueryRetrieveInformationModelFind, keys, 3);
        assertEquals(Status.CANCEL, r.status());
        assertEquals(3, r.matches().size());
        assertEquals(Status.SUCCESS, c.echo()); // the association stays usable
      }
      assertTrue(server.awaitIdle(Duration.ofSeconds(30)));
      assertEquals(1, archive.streamsClosed.get());
    }
  }

  private static java.net.Socket socketOf(DicomClient c) {
    return c.association().socket();
  }
}
