package org.strata.ingest.dimse;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.strata.dicom.net.AssociationAcceptor;
import org.strata.dicom.net.CallingHostCheck;
import org.strata.dicom.net.pdu.AAssociateRJ;
import org.strata.dicom.net.pdu.AAssociateRJException;
import org.strata.http.auth.AuthMode;
import org.strata.ingest.service.TenantResolver;

/**
 * Which calling AEs the storage SCP accepts (plain and TLS alike). Production ({@code
 * strata.auth.mode=required}): only an AE of the known-AE file, from the host registered for it
 * ({@link CallingHostCheck}); the default tenant and {@code by-calling-ae} admit no one there.
 * Local mode ({@code make run}, tests): any AE a tenant rule maps, from anywhere, as before.
 */
@ApplicationScoped
public class CallingAes {
  private final AuthMode mode;
  private final TenantResolver tenants;

  CallingAes(
      @ConfigProperty(name = "strata.auth.mode", defaultValue = "required") String mode,
      TenantResolver tenants) {
    this.mode = AuthMode.parse(mode);
    this.tenants = tenants;
  }

  AssociationAcceptor acceptor() {
    if (mode == AuthMode.REQUIRED) {
      return new CallingHostCheck(tenants.knownAes());
    }
    return (rq, remote, local) -> {
      if (tenants.forCallingAe(rq.callingAE()).isEmpty()) {
        throw new AAssociateRJException(
            AAssociateRJ.RESULT_PERMANENT,
            AAssociateRJ.SOURCE_SERVICE_USER,
            AAssociateRJ.REASON_CALLING_AE_NOT_RECOGNIZED,
            "calling AE title not mapped to a tenant:");
      }
    };
  }

  /** For the start-up log line. */
  String describe() {
    return mode == AuthMode.REQUIRED
        ? tenants.knownAes().size() + " known AE(s), each only from its registered host"
        : "any AE a tenant rule maps, from any host (local mode)";
  }
}
