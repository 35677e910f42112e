package org.strata.dicom.net;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.strata.dicom.UID;

/**
 * A test SCP whose C-STORE handler streams each data set to a file. AEs: STRATA (default
 * preference: explicit LE, implicit LE, others), STRATA_BE (explicit big endian first), STRATA_DEF
 * (deflated first), so a test can make the SCP accept a file's own uncompressed syntax.
 */
final class ReceivingServer implements AutoCloseable {

  record Received(
      String sopClassUid,
      String sopInstanceUid,
      String transferSyntax,
      String calledAE,
      Path file,
      Association association) {}

  final DicomServer server;
  final Path dir;
  final List<Received> received = Collections.synchronizedList(new ArrayList<>());
  final Set<Association> associations = ConcurrentHashMap.newKeySet();
  private final AtomicInteger counter = new AtomicInteger();

  ReceivingServer(Path dir, AssociationConfig config, UserIdentityAuthenticator auth)
      throws IOException {
    this(dir, config, auth, null);
  }

  ReceivingServer(Path dir, AssociationConfig config, UserIdentityAuthenticator auth, TlsConfig tls)
      throws IOException {
    this.dir = Files.createDirectories(dir);
    DimseRegistry registry =
        new DimseRegistry()
            .registerStorage(
                (rq, data) -> {
                  associations.add(rq.association());
                  Path f = dir.resolve("rcv-" + counter.incrementAndGet() + ".bin");
                  try (OutputStream out = Files.newOutputStream(f)) {
                    data.transferTo(out);
                  }
                  received.add(
                      new Received(
                          rq.sopClassUid(),
                          rq.sopInstanceUid(),
                          rq.transferSyntax(),
                          rq.calledAE(),
                          f,
                          rq.association()));
                  return Status.SUCCESS;
                });
    this.server =
        DicomServer.builder()
            .bind("127.0.0.1", 0)
            .storageAE("STRATA")
            .applicationEntity(ae("STRATA_BE", UID.ExplicitVRBigEndian))
            .applicationEntity(ae("STRATA_DEF", UID.DeflatedExplicitVRLittleEndian))
            .applicationEntity(compressedFirst())
            .registry(registry)
            .associationConfig(config)
            .authenticator(auth)
            .tls(tls)
            .build()
            .start();
  }

  private static ApplicationEntity ae(String title, String firstTs) {
    List<String> ts = new ArrayList<>();
    ts.add(firstTs);
    for (String t : TransferCapability.allTransferSyntaxes()) {
      if (!t.equals(firstTs)) {
        ts.add(t);
      }
    }
    List<TransferCapability> caps = new ArrayList<>();
    caps.add(TransferCapability.verificationScp());
    for (String sop : TransferCapability.storageSopClasses()) {
      caps.add(new TransferCapability(sop, TransferCapability.Role.SCP, ts));
    }
    return new ApplicationEntity(title, caps);
  }

  /** Encapsulated (compressed) syntaxes first, then the native ones. */
  private static ApplicationEntity compressedFirst() {
    List<String> ts = new ArrayList<>();
    for (String t : TransferCapability.allTransferSyntaxes()) {
      if (org.strata.dicom.io.TransferSyntax.of(t).encapsulated()) {
        ts.add(t);
      }
    }
    for (String t : TransferCapability.allTransferSyntaxes()) {
      if (!ts.contains(t)) {
        ts.add(t);
      }
    }
    List<TransferCapability> caps = new ArrayList<>();
    caps.add(TransferCapability.verificationScp());
    for (String sop : TransferCapability.storageSopClasses()) {
      caps.add(new TransferCapability(sop, TransferCapability.Role.SCP, ts));
    }
    return new ApplicationEntity("STRATA_C", caps);
  }

  int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
    if (server.liveThreadCount() != 0 || server.activeAssociations() != 0) {
      throw new AssertionError("server left threads or associations behind");
    }
  }
}
