package org.strata.ingest.dimse;

import jakarta.enterprise.context.ApplicationScoped;
import org.strata.dicom.net.Association;
import org.strata.dicom.net.AssociationListener;
import org.strata.dicom.net.PerAssociation;
import org.strata.http.auth.CallerIdentity;
import org.strata.ingest.service.TenantResolver;

/**
 * The one place that knows who calls over DIMSE: a {@link CallerIdentity} (calling AE, peer
 * address, tenant) made once when an association is accepted, plain or TLS, and kept until it ends.
 * Handlers and the audit read it with {@link #of}.
 */
@ApplicationScoped
public class DimseCallers {
  private final PerAssociation<CallerIdentity> callers;

  DimseCallers(TenantResolver tenants) {
    this.callers =
        new PerAssociation<>(
            as ->
                CallerIdentity.dimse(
                    as.callingAE(),
                    as.remoteIp(),
                    tenants.forCallingAe(as.callingAE()).orElse(null)));
  }

  /** The caller of an accepted association; null before acceptance or after its end. */
  public CallerIdentity of(Association association) {
    return callers.get(association);
  }

  AssociationListener listener() {
    return callers;
  }
}
