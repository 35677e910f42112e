package org.strata.query.dimse;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.strata.dicom.net.AssociationAcceptor;
import org.strata.dicom.net.CallingHostCheck;
import org.strata.dicom.net.KnownAes;
import org.strata.dicom.net.pdu.AAssociateRJ;
import org.strata.dicom.net.pdu.AAssociateRJException;
import org.strata.http.auth.AuthMode;
import org.strata.query.config.QueryConfig;

/**
 * The Q/R SCP's calling AEs (plain and TLS alike): the known-AE file, read once, gives each its
 * tenant and, with {@code labels=}, the departments it is limited to (ADR 0061). Production ({@code
 * strata.auth.mode=required}): only an AE of the file, from the host registered for it ({@link
 * CallingHostCheck}), whatever {@code accept-unknown-aes} says. Local mode ({@code make run},
 * tests): known AEs from anywhere, unknown ones too when {@code accept-unknown-aes} (they query the
 * default tenant).
 */
@ApplicationScoped
public class CallingAes {
  private final AuthMode mode;
  private final QueryConfig config;
  private final KnownAes knownAes;

  CallingAes(
      @ConfigProperty(name = "strata.auth.mode", defaultValue = "required") String mode,
      QueryConfig config) {
    this.mode = AuthMode.parse(mode);
    this.config = config;
    try {
      this.knownAes =
          config.dimse().knownAesFile().isPresent()
              ? KnownAes.read(Path.of(config.dimse().knownAesFile().get()))
              : KnownAes.none();
    } catch (IOException e) {
      throw new UncheckedIOException("known-AE file unreadable", e);
    }
  }

  KnownAes knownAes() {
    return knownAes;
  }

  /** Whether callers not in the known-AE file may associate (local mode only). */
  boolean acceptsUnknown() {
    return mode == AuthMode.LOCAL && config.dimse().acceptUnknownAes();
  }

  /** The calling AE's tenant, the default tenant for accepted unknown callers, else null. */
  String tenantOf(String callingAe) {
    KnownAes.KnownAe known = knownAes.find(callingAe);
    if (known != null) {
      return known.tenant().value();
    }
    return acceptsUnknown() ? config.defaultTenant().value() : null;
  }

  /**
   * The access labels the calling AE is limited to in its tenant (its entry's {@code labels=});
   * empty for an AE seeing its tenant whole and for accepted unknown callers.
   */
  Set<String> labelsOf(String callingAe) {
    KnownAes.KnownAe known = knownAes.find(callingAe);
    return known == null ? Set.of() : known.labels();
  }

  AssociationAcceptor acceptor() {
    if (mode == AuthMode.REQUIRED) {
      return new CallingHostCheck(knownAes);
    }
    return (rq, remote, local) -> {
      if (knownAes.find(rq.callingAE()) == null && !acceptsUnknown()) {
        throw new AAssociateRJException(
            AAssociateRJ.RESULT_PERMANENT,
            AAssociateRJ.SOURCE_SERVICE_USER,
            AAssociateRJ.REASON_CALLING_AE_NOT_RECOGNIZED,
            "calling AE title not known:");
      }
    };
  }

  /** For the start-up log line. */
  String describe() {
    if (mode == AuthMode.REQUIRED) {
      return knownAes.size() + " known AE(s), each only from its registered host";
    }
    return knownAes.size()
        + " known AE(s) from any host (local mode), unknown ones "
        + (acceptsUnknown() ? "query the default tenant" : "rejected");
  }
}
