package org.strata.query.rest;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.strata.dicom.dict.ElementDictionary;
import org.strata.query.config.QueryConfig;
import org.strata.query.qido.Level;
import org.strata.query.qido.QidoRequest;
import org.strata.query.qido.QidoService;

/**
 * QIDO-RS, the Search transaction of PS3.18 10.6: studies, series and instances of the caller's
 * tenant as an array of DICOM JSON objects ({@code application/dicom+json}); 204 without matches;
 * {@code Warning: 299} when more matches follow; 400 with {@code {"status":400,"reason":...}} for a
 * request that cannot be run.
 */
@Path("/dicomweb")
@Produces({QidoResource.DICOM_JSON, "application/json"})
public class QidoResource {
  public static final String DICOM_JSON = "application/dicom+json";
  static final String TRUNCATED_WARNING =
      "\"The number of results exceeded the maximum supported by the server. Additional results"
          + " can be requested.\"";

  private final QidoService service;
  private final QueryConfig config;

  public QidoResource(QidoService service, QueryConfig config) {
    this.service = service;
    this.config = config;
  }

  /** Loads the data dictionary at start-up rather than on the event loop of a first request. */
  void warmUp(@Observes StartupEvent event) {
    ElementDictionary.standard().tagOf("PatientName");
  }

  @GET
  @Path("/studies")
  public Uni<Response> studies(@Context UriInfo uri) {
    return search(Level.STUDY, null, null, uri);
  }

  @GET
  @Path("/series")
  public Uni<Response> series(@Context UriInfo uri) {
    return search(Level.SERIES, null, null, uri);
  }

  @GET
  @Path("/instances")
  public Uni<Response> instances(@Context UriInfo uri) {
    return search(Level.INSTANCE, null, null, uri);
  }

  @GET
  @Path("/studies/{study}/series")
  public Uni<Response> studySeries(@PathParam("study") String study, @Context UriInfo uri) {
    return search(Level.SERIES, study, null, uri);
  }

  @GET
  @Path("/studies/{study}/instances")
  public Uni<Response> studyInstances(@PathParam("study") String study, @Context UriInfo uri) {
    return search(Level.INSTANCE, study, null, uri);
  }

  @GET
  @Path("/studies/{study}/series/{series}/instances")
  public Uni<Response> seriesInstances(
      @PathParam("study") String study, @PathParam("series") String series, @Context UriInfo uri) {
    return search(Level.INSTANCE, study, series, uri);
  }

  private Uni<Response> search(Level level, String study, String series, UriInfo uri) {
    Map<String, List<String>> params = new LinkedHashMap<>(uri.getQueryParameters(true));
    QidoRequest request =
        QidoRequest.parse(level, study, series, params, config.defaultLimit(), config.maxLimit());
    return service
        .search(request, tenant(), retrieveBase(uri))
        .map(
            result -> {
              if (result.count() == 0) {
                return Response.noContent().build();
              }
              Response.ResponseBuilder ok = Response.ok(result.json(), DICOM_JSON);
              if (result.truncated()) {
                ok.header(
                    "Warning", "299 " + uri.getBaseUri().getAuthority() + ": " + TRUNCATED_WARNING);
              }
              return ok.build();
            });
  }

  /**
   * The caller's tenant. Phase 1: {@code strata.query.default-tenant}; the OIDC access token will
   * carry it (security work), and requests without one will then be refused.
   */
  private String tenant() {
    return config.defaultTenant();
  }

  private String retrieveBase(UriInfo uri) {
    String base =
        config
            .retrieveBaseUrl()
            .filter(s -> !s.isBlank())
            .orElseGet(() -> uri.getBaseUri().resolve("dicomweb").toString());
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }
}
