package org.strata.query.rest;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.strata.audit.AccessKind;
import org.strata.audit.Audited;
import org.strata.dicom.Attributes;
import org.strata.dicom.dict.ElementDictionary;
import org.strata.dicom.xml.DicomXmlWriter;
import org.strata.events.AuditRecord.Channels;
import org.strata.http.auth.Roles;
import org.strata.query.config.QueryConfig;
import org.strata.query.qido.Level;
import org.strata.query.qido.QidoRequest;
import org.strata.query.qido.QidoService;
import org.strata.query.security.ReadScope;
import org.strata.query.wado.AcceptedTypes;
import org.strata.query.wado.Multipart;

/**
 * QIDO-RS, the Search transaction of PS3.18 10.6: studies, series and instances of the caller's
 * tenant as an array of DICOM JSON objects ({@code application/dicom+json}); 204 without matches;
 * {@code Warning: 299} when more matches follow; 400 with {@code {"status":400,"reason":...}} for a
 * request that cannot be run.
 */
@Path("/dicomweb")
@Produces({QidoResource.DICOM_JSON, "application/json", "multipart/related"})
@RolesAllowed(Roles.READER)
@Audited(kind = AccessKind.QUERY, channel = Channels.QIDO_RS)
public class QidoResource {
  public static final String DICOM_JSON = "application/dicom+json";
  static final String DICOM_XML = "application/dicom+xml";
  static final String TRUNCATED_WARNING =
      "\"The number of results exceeded the maximum supported by the server. Additional results"
          + " can be requested.\"";

  private final QidoService service;
  private final QueryConfig config;
  @jakarta.inject.Inject ReadScope readScope;

  /** The results go into the request's audit record (AccessAuditFilter). */
  @Inject AuditedAccess audited;

  public QidoResource(QidoService service, QueryConfig config) {
    this.service = service;
    this.config = config;
  }

  /**
   * Loads the data dictionary at start-up rather than on the event loop of a first request.
   * {@code @PermitAll}: the class's role check would otherwise run on this observer, outside any
   * request, and stop the start.
   */
  @jakarta.annotation.security.PermitAll
  void warmUp(@Observes StartupEvent event) {
    ElementDictionary.standard().tagOf("PatientName");
  }

  @GET
  @Path("/studies")
  public Uni<Response> studies(@Context UriInfo uri, @Context HttpHeaders headers) {
    return search(Level.STUDY, null, null, uri, headers);
  }

  @GET
  @Path("/series")
  public Uni<Response> series(@Context UriInfo uri, @Context HttpHeaders headers) {
    return search(Level.SERIES, null, null, uri, headers);
  }

  @GET
  @Path("/instances")
  public Uni<Response> instances(@Context UriInfo uri, @Context HttpHeaders headers) {
    return search(Level.INSTANCE, null, null, uri, headers);
  }

  @GET
  @Path("/studies/{study}/series")
  public Uni<Response> studySeries(
      @PathParam("study") String study, @Context UriInfo uri, @Context HttpHeaders headers) {
    return search(Level.SERIES, study, null, uri, headers);
  }

  @GET
  @Path("/studies/{study}/instances")
  public Uni<Response> studyInstances(
      @PathParam("study") String study, @Context UriInfo uri, @Context HttpHeaders headers) {
    return search(Level.INSTANCE, study, null, uri, headers);
  }

  @GET
  @Path("/studies/{study}/series/{series}/instances")
  public Uni<Response> seriesInstances(
      @PathParam("study") String study,
      @PathParam("series") String series,
      @Context UriInfo uri,
      @Context HttpHeaders headers) {
    return search(Level.INSTANCE, study, series, uri, headers);
  }

  private Uni<Response> search(
      Level level, String study, String series, UriInfo uri, HttpHeaders headers) {
    boolean xml = xml(headers);
    Map<String, List<String>> params = new LinkedHashMap<>(uri.getQueryParameters(true));
    QidoRequest request =
        QidoRequest.parse(level, study, series, params, config.defaultLimit(), config.maxLimit());
    return service
        .search(request, readScope.get(), retrieveBase(uri))
        .map(
            result -> {
              audited.results(result.datasets());
              audited.patients(result.patients());
              if (result.count() == 0) {
                return Response.noContent().build();
              }
              Response.ResponseBuilder ok =
                  xml ? xmlParts(result.datasets()) : Response.ok(result.json(), DICOM_JSON);
              if (result.truncated()) {
                ok.header(
                    "Warning", "299 " + uri.getBaseUri().getAuthority() + ": " + TRUNCATED_WARNING);
              }
              return ok.build();
            });
  }

  /**
   * Whether the answer is {@code multipart/related; type="application/dicom+xml"} (PS3.18 10.6.3.2,
   * the Native DICOM Model): the first range of {@code Accept} that Strata can answer decides; JSON
   * for {@code application/dicom+json}, {@code application/json} and wildcards. 406 when none fits
   * (e.g. {@code multipart/related} with another or no {@code type}).
   */
  static boolean xml(HttpHeaders headers) {
    for (AcceptedTypes.Range r :
        AcceptedTypes.parse(headers.getRequestHeader(HttpHeaders.ACCEPT)).ranges()) {
      switch (r.mediaType()) {
        case DICOM_JSON, "application/json", "application/*", "*/*" -> {
          return false;
        }
        case "multipart/related", "multipart/*" -> {
          if (DICOM_XML.equalsIgnoreCase(r.param("type"))) {
            return true;
          }
        }
        default -> {}
      }
    }
    throw new NotAcceptableException(
        Response.status(406)
            .type("application/json")
            .entity(
                "{\"status\":406,\"reason\":\"QIDO-RS answers application/dicom+json or"
                    + " multipart/related; type=\\\"application/dicom+xml\\\"\"}")
            .build());
  }

  /** One Native DICOM Model document (PS3.19 A.1) per result, straight from its data set. */
  private static Response.ResponseBuilder xmlParts(List<Attributes> results) {
    String boundary = Multipart.newBoundary();
    StringBuilder body = new StringBuilder();
    for (Attributes result : results) {
      body.append("--")
          .append(boundary)
          .append("\r\nContent-Type: ")
          .append(DICOM_XML)
          .append("\r\n\r\n")
          .append(DicomXmlWriter.toXml(result))
          .append("\r\n");
    }
    body.append("--").append(boundary).append("--\r\n");
    return Response.ok(body.toString().getBytes(StandardCharsets.UTF_8))
        .type(Multipart.contentType(DICOM_XML, boundary));
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
