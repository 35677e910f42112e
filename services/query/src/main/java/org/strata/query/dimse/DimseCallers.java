package org.strata.query.dimse;

import jakarta.enterprise.context.ApplicationScoped;
import org.strata.dicom.net.Association;
import org.strata.dicom.net.AssociationListener;
import org.strata.dicom.net.PerAssociation;
import org.strata.http.auth.CallerIdentity;

/**
 * The one place that knows who calls over DIMSE: a {@link CallerIdentity} (calling AE, peer
 * address, tenant, access labels) made once when an association is accepted, plain or TLS, and kept
 * until it ends. Handlers and the audit read it with {@link #of}.
 */
@ApplicationScoped
public class DimseCallers {
  private final PerAssociation<CallerIdentity> callers;

  DimseCallers(CallingAes callingAes) {
    this.callers =
        new PerAssociation<>(
            as ->
                CallerIdentity.dimse(
                    as.callingAE(),
                    as.remoteIp(),
                    callingAes.tenantOf(as.callingAE()),
                    callingAes.labelsOf(as.callingAE())));
  }

  /** The caller of an accepted association; null before acceptance or after its end. */
  public CallerIdentity of(Association association) {
    return callers.get(association);
  }

  AssociationListener listener() {
    return callers;
  }
}
