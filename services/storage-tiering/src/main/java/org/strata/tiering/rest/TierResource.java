package org.strata.tiering.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.strata.http.auth.Roles;
import org.strata.storage.Tier;
import org.strata.storage.TieredStorage;

/** The configured tiers (never their credentials). */
@Path("/admin/tiers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin: tiers")
@RolesAllowed(Roles.ADMIN)
public class TierResource {
  private final TieredStorage storage;

  public TierResource(TieredStorage storage) {
    this.storage = storage;
  }

  @GET
  @Operation(summary = "The storage tiers, the first one where ingest writes")
  @APIResponse(responseCode = "200", description = "Name, endpoint, bucket, retrieval of each")
  public List<Map<String, Object>> tiers() {
    return storage.tiers().all().stream().map(TierResource::describe).toList();
  }

  private static Map<String, Object> describe(Tier t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", t.name());
    m.put("endpoint", t.storage().endpoint());
    m.put("bucket", t.bucket());
    m.put("retrieval", t.retrieval().name().toLowerCase(java.util.Locale.ROOT));
    m.put("retrievalDelay", t.retrievalDelay().toString());
    return m;
  }
}
