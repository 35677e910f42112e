package org.strata.ingest.rest;

import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.strata.events.InstanceStored;
import org.strata.http.auth.Roles;
import org.strata.ids.Uid;
import org.strata.ingest.config.IngestConfig;
import org.strata.ingest.messaging.IndexAcknowledgements;
import org.strata.ingest.rest.MultipartRelatedReader.MalformedMultipartException;
import org.strata.ingest.service.BodyPart;
import org.strata.ingest.service.DicomJsonStow;
import org.strata.ingest.service.IngestSource;
import org.strata.ingest.service.StowParts;
import org.strata.ingest.service.TenantResolver;
import org.strata.servicekit.rest.ErrorResponse;
import org.strata.servicekit.security.CurrentCaller;

/**
 * STOW-RS (PS3.18 10.5): {@code POST {base}/studies[/{study}]} with a {@code multipart/related;
 * type="application/dicom"} body. Parts are read and stored one after the other as streams; each is
 * acknowledged in the response only once it is in object storage and its event in Kafka.
 */
@Path("/dicomweb")
@Tag(name = "STOW-RS")
@RolesAllowed(Roles.WRITER)
public class StowResource {
  private static final String DICOM_JSON = "application/dicom+json";
  private static final Pattern PARAM =
      Pattern.compile(";\\s*([A-Za-z0-9_-]+)\\s*=\\s*(\"([^\"]*)\"|[^;\\s]+)");

  private final TenantResolver tenants;
  private final IngestConfig config;
  private final IndexAcknowledgements indexAcks;
  private final StowParts stowParts;

  @jakarta.inject.Inject CurrentCaller caller;

  /** What was stored, for the request's audit records (StowAuditFilter). */
  @jakarta.inject.Inject AuditedStore audited;

  /** {@code type="application/dicom+json"}: metadata and bulk data parts (ADR 0014). */
  @jakarta.inject.Inject DicomJsonStow dicomJsonStow;

  public StowResource(
      TenantResolver tenants,
      IngestConfig config,
      IndexAcknowledgements indexAcks,
      StowParts stowParts) {
    this.stowParts = stowParts;
    this.indexAcks = indexAcks;
    this.tenants = tenants;
    this.config = config;
  }

  @POST
  @Path("/studies")
  @Blocking
  @Consumes("multipart/related")
  @Produces(DICOM_JSON)
  @Operation(summary = "Store instances")
  @APIResponse(responseCode = "200", description = "All instances stored")
  @APIResponse(responseCode = "202", description = "Some stored, some failed or coerced")
  @APIResponse(responseCode = "409", description = "None stored")
  @APIResponse(responseCode = "400", description = "Malformed request")
  @APIResponse(responseCode = "415", description = "Unsupported media type")
  @APIResponse(responseCode = "503", description = "Storage unavailable: retry")
  public Response store(
      @HeaderParam("Content-Type") String contentType,
      InputStream body,
      @Context UriInfo uri,
      @Context HttpServerRequest request) {
    return handle(contentType, body, null, null, uri, request);
  }

  @POST
  @Path("/tenants/{tenant}/studies")
  @Blocking
  @Consumes("multipart/related")
  @Produces(DICOM_JSON)
  @Operation(
      summary =
          "Store instances into a tenant the token holds (a token of several tenants must name one,"
              + " ADR 0026)")
  public Response storeInTenant(
      @PathParam("tenant") String tenant,
      @HeaderParam("Content-Type") String contentType,
      InputStream body,
      @Context UriInfo uri,
      @Context HttpServerRequest request) {
    return handle(contentType, body, null, tenant, uri, request);
  }

  @POST
  @Path("/tenants/{tenant}/studies/{study}")
  @Blocking
  @Consumes("multipart/related")
  @Produces(DICOM_JSON)
  @Operation(summary = "Store instances of one study into a tenant the token holds")
  public Response storeStudyInTenant(
      @PathParam("tenant") String tenant,
      @PathParam("study") String study,
      @HeaderParam("Content-Type") String contentType,
      InputStream body,
      @Context UriInfo uri,
      @Context HttpServerRequest request) {
    if (!Uid.isValid(study)) {
      return error(400, "malformed Study Instance UID in the URL");
    }
    return handle(contentType, body, study, tenant, uri, request);
  }

  @POST
  @Path("/studies/{study}")
  @Blocking
  @Consumes("multipart/related")
  @Produces(DICOM_JSON)
  @Operation(summary = "Store instances of one study")
  public Response storeStudy(
      @PathParam("study") String study,
      @HeaderParam("Content-Type") String contentType,
      InputStream body,
      @Context UriInfo uri,
      @Context HttpServerRequest request) {
    if (!Uid.isValid(study)) {
      return error(400, "malformed Study Instance UID in the URL");
    }
    return handle(contentType, body, study, null, uri, request);
  }

  private Response handle(
      String contentType,
      InputStream body,
      String study,
      String pathTenant,
      UriInfo uri,
      HttpServerRequest request) {
    Map<String, String> params = parameters(contentType);
    String type = params.getOrDefault("type", "application/dicom").toLowerCase(Locale.ROOT);
    boolean json = type.equals(DICOM_JSON);
    if (!type.equals("application/dicom") && !json) {
      return error(
          415,
          "type=\""
              + type
              + "\" is not supported; Strata accepts multipart/related;"
              + " type=\"application/dicom\" or type=\"application/dicom+json\"");
    }
    String boundary = params.get("boundary");
    if (boundary == null
        || boundary.isEmpty()
        || boundary.length() > MultipartRelatedReader.MAX_BOUNDARY) {
      return error(400, "multipart/related without a valid boundary parameter");
    }
    TenantResolver.StowTenant tenant =
        tenants.forStow(caller.get(), caller.isLocalUser(), pathTenant);
    if (tenant.tenant() == null) {
      if (tenant.status() == 403) {
        audited.scopeRefused();
      }
      return error(tenant.status(), tenant.reason());
    }
    IngestSource source =
        new IngestSource(
            tenant.tenant(),
            InstanceStored.Channel.STOWRS,
            null,
            null,
            request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(),
            null);
    String base = config.publicBaseUrl().orElse(uri.getBaseUri().toString() + "dicomweb");
    StowResponse response = new StowResponse(stripSlash(base), study);
    MultipartRelatedReader reader = new MultipartRelatedReader(body, boundary);
    StowParts.Pipeline parts = stowParts.pipeline(source, study);
    Response refused = null;
    String broken = null;
    try {
      if (json) {
        DicomJsonStow.Refusal whole = dicomJsonStow.store(reader, source, study, response::add);
        if (whole != null) {
          refused = error(whole.status(), whole.reason());
        }
      }
      for (BodyPart part; !json && refused == null && (part = reader.next()) != null; ) {
        if (parts.size() >= config.maxInstancesPerRequest()) {
          refused = error(413, "more than " + config.maxInstancesPerRequest() + " instances");
          break;
        }
        String partType = part.contentType().toLowerCase(Locale.ROOT);
        if (!partType.isEmpty() && !partType.startsWith("application/dicom")) {
          parts.add(org.strata.ingest.service.StoreResult.failedPart("part of type " + partType));
          continue;
        }
        parts.store(part.body());
      }
    } catch (MalformedMultipartException e) {
      broken = e.getMessage();
    } catch (IOException e) {
      // The client went away or the body broke off: what was stored stays, nothing more is.
      broken = "request body could not be read: " + e.getMessage();
    } finally {
      // Parts still being stored finish first, however reading ended: nothing is answered before
      // its outcome is known, and the read-your-writes waits of what was stored are settled below.
      parts.await().forEach(response::add);
      audited.stored(tenant.tenant(), response.all());
    }
    try {
      return answer(response, refused, broken);
    } finally {
      // Every exit settles the read-your-writes expectations of the parts stored (awaitIndexed
      // already did on the way to a 2xx): a refused or broken request left them pending for good.
      indexAcks.forget(response.newEventIds());
    }
  }

  private Response answer(StowResponse response, Response refused, String broken) {
    if (refused != null) {
      return refused;
    }
    if (broken != null) {
      if (response.isEmpty()) {
        return error(400, broken);
      }
      response.addFramingFailure();
    }
    if (response.isEmpty()) {
      return error(400, "the request contains no parts");
    }
    Response.ResponseBuilder answer =
        Response.status(response.status()).type(DICOM_JSON).entity(response.body());
    if (!indexAcks.awaitIndexed(response.newEventIds())) {
      // Durable, but a QIDO sent now may not find everything yet (ADR 0010).
      answer.header("Warning", "299 strata \"stored; indexing pending, not yet searchable\"");
    }
    return answer.build();
  }

  private static Map<String, String> parameters(String contentType) {
    Map<String, String> params = new java.util.HashMap<>();
    if (contentType == null) {
      return params;
    }
    Matcher m = PARAM.matcher(contentType);
    while (m.find()) {
      params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(3) != null ? m.group(3) : m.group(2));
    }
    return params;
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  static Response error(int status, String reason) {
    return ErrorResponse.of(status, reason);
  }
}
