package org.strata.query.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.strata.audit.AccessKind;
import org.strata.audit.Audited;
import org.strata.dicom.codec.PixelDescription;
import org.strata.dicom.codec.Transcoder;
import org.strata.dicom.io.FrameIndex;
import org.strata.dicom.io.TransferSyntax;
import org.strata.events.AuditRecord.Channels;
import org.strata.http.auth.Roles;
import org.strata.ids.Uid;
import org.strata.query.config.QueryConfig;
import org.strata.query.security.ReadScope;
import org.strata.query.wado.AcceptedTypes;
import org.strata.query.wado.BulkData;
import org.strata.query.wado.FrameIndexCache;
import org.strata.query.wado.FrameRetrieval;
import org.strata.query.wado.FrameTranscoding;
import org.strata.query.wado.InstanceLocator;
import org.strata.query.wado.InstanceRetrieval;
import org.strata.query.wado.MetadataRetrieval;
import org.strata.query.wado.Multipart;
import org.strata.query.wado.Negotiation;
import org.strata.query.wado.ObjectHeaders;
import org.strata.query.wado.StoredInstance;
import org.strata.query.wado.WadoException;

/**
 * WADO-RS, the Retrieve transaction of PS3.18 10.4, phase 1: studies, series and instances as
 * {@code multipart/related; type="application/dicom"} (each object as stored), their metadata as
 * {@code application/dicom+json}, and frames as {@code multipart/related;
 * type="application/octet-stream"}. 404 when nothing in the caller's scope (ADR 0025) matches, 406
 * for a media type or transfer syntax that needs transcoding, 400 for malformed UIDs or frame
 * lists. Methods are blocking (worker threads); bodies are streamed.
 */
@Path("/dicomweb")
@Tag(name = "WADO-RS")
@RolesAllowed(Roles.READER)
@Audited(kind = AccessKind.READ, channel = Channels.WADO_RS)
public class WadoResource {
  private static final Pattern FRAME_LIST = Pattern.compile("[0-9]{1,9}(,[0-9]{1,9})*");

  /** Frames per request; a longer list is refused (400). */
  static final int MAX_FRAMES = 10_000;

  private final InstanceLocator locator;
  private final InstanceRetrieval instances;
  private final MetadataRetrieval metadata;
  private final FrameRetrieval frames;
  private final FrameIndexCache frameIndexes;
  private final ObjectHeaders objectHeaders;
  private final QueryConfig config;
  @jakarta.inject.Inject ReadScope readScope;
  @jakarta.inject.Inject AuditedAccess audited;

  public WadoResource(
      InstanceLocator locator,
      InstanceRetrieval instances,
      MetadataRetrieval metadata,
      FrameRetrieval frames,
      FrameIndexCache frameIndexes,
      ObjectHeaders objectHeaders,
      QueryConfig config) {
    this.locator = locator;
    this.instances = instances;
    this.metadata = metadata;
    this.frames = frames;
    this.frameIndexes = frameIndexes;
    this.objectHeaders = objectHeaders;
    this.config = config;
  }

  @GET
  @Path("/studies/{study}")
  @Operation(
      summary =
          "Retrieve a study: multipart/related; type=\"application/dicom\", as stored or transcoded")
  public Response study(@PathParam("study") String study, @Context HttpHeaders headers) {
    return instances(uids(study, null, null), headers);
  }

  @GET
  @Path("/studies/{study}/series/{series}")
  @Operation(
      summary =
          "Retrieve a series: multipart/related; type=\"application/dicom\", as stored or transcoded")
  public Response series(
      @PathParam("study") String study,
      @PathParam("series") String series,
      @Context HttpHeaders headers) {
    return instances(uids(study, series, null), headers);
  }

  @GET
  @Path("/studies/{study}/series/{series}/instances/{instance}")
  @Operation(
      summary =
          "Retrieve an instance: multipart/related; type=\"application/dicom\", as stored or transcoded")
  public Response instance(
      @PathParam("study") String study,
      @PathParam("series") String series,
      @PathParam("instance") String instance,
      @Context HttpHeaders headers) {
    return instances(uids(study, series, instance), headers);
  }

  @GET
  @Path("/studies/{study}/metadata")
  @Operation(summary = "Study metadata: application/dicom+json, one object per instance")
  public Response studyMetadata(
      @PathParam("study") String study, @Context HttpHeaders headers, @Context UriInfo uri) {
    return metadata(uids(study, null, null), headers, uri);
  }

  @GET
  @Path("/studies/{study}/series/{series}/metadata")
  @Operation(summary = "Series metadata: application/dicom+json")
  public Response seriesMetadata(
      @PathParam("study") String study,
      @PathParam("series") String series,
      @Context HttpHeaders headers,
      @Context UriInfo uri) {
    return metadata(uids(study, series, null), headers, uri);
  }

  @GET
  @Path("/studies/{study}/series/{series}/instances/{instance}/metadata")
  @Operation(summary = "Instance metadata: application/dicom+json")
  public Response instanceMetadata(
      @PathParam("study") String study,
      @PathParam("series") String series,
      @PathParam("instance") String instance,
      @Context HttpHeaders headers,
      @Context UriInfo uri) {
    return metadata(uids(study, series, instance), headers, uri);
  }

  @GET
  @Path("/studies/{study}/series/{series}/instances/{instance}/frames/{frames}")
  @Operation(
      summary =
          "Frames: multipart/related; type=\"application/octet-stream\", as stored or explicit VR LE")
  public Response frames(
      @PathParam("study") String study,
      @PathParam("series") String series,
      @PathParam("instance") String instance,
      @PathParam("frames") String frameList,
      @Context HttpHeaders headers) {
    String[] u = uids(study, series, instance);
    int[] frames = frameNumbers(frameList);
    InstanceLocator.Located at = locator.locate(readScope.get(), u[0], u[1], u[2]);
    audited.located(at);
    String tenant = at.tenant();
    StoredInstance i = at.instances().get(0);
    String target =
        Negotiation.transferSyntax(
            accept(headers),
            Negotiation.OCTET_STREAM,
            List.of(i.transferSyntaxUid()),
            FrameTranscoding::can);
    instances.requireReadable(tenant, List.of(i));
    FrameIndex index = frameIndexes.frameIndex(tenant, i);
    PixelDescription image = target == null ? null : pixelDescription(tenant, i);
    if (image != null) {
      String refusal = FrameTranscoding.refusal(i.transferSyntaxUid(), image);
      if (refusal != null) {
        throw WadoException.notAcceptable(refusal);
      }
    }
    for (int f : frames) {
      if (f > index.frameCount()) {
        throw WadoException.badRequest(
            "frame number out of range: the instance has " + index.frameCount() + " frame(s)");
      }
      if (index.bitOffset(f - 1) != 0) {
        throw WadoException.notAcceptable(
            "packed 1-bit frames that do not start on a byte are not served yet");
      }
    }
    String boundary = Multipart.newBoundary();
    StreamingOutput body =
        out -> this.frames.writeFrames(tenant, i, index, frames, out, boundary, target, image);
    return Response.ok(body)
        .type(Multipart.contentType(Negotiation.OCTET_STREAM, boundary))
        .build();
  }

  @GET
  @Path("/studies/{study}/series/{series}/instances/{instance}/bulkdata/{range}")
  @Operation(
      summary = "Bulk data: the byte range a BulkDataURI names ({offset}-{length}), as stored")
  public Response bulkData(
      @PathParam("study") String study,
      @PathParam("series") String series,
      @PathParam("instance") String instance,
      @PathParam("range") String range,
      @Context HttpHeaders headers) {
    String[] u = uids(study, series, instance);
    BulkData.Range r = BulkData.parse(range);
    InstanceLocator.Located at = locator.locate(readScope.get(), u[0], u[1], u[2]);
    audited.located(at);
    String tenant = at.tenant();
    StoredInstance i = at.instances().get(0);
    boolean deflated = TransferSyntax.of(i.transferSyntaxUid()).deflated();
    // A deflated object's ranges count in the inflated data, whose size is not indexed.
    if (!deflated && (r.offset() >= i.size() || r.length() > i.size() - r.offset())) {
      throw WadoException.badRequest("bulk data range lies outside the stored object");
    }
    instances.requireReadable(tenant, List.of(i));
    boolean multipart = Negotiation.bulkDataMultipart(accept(headers), i.transferSyntaxUid());
    String boundary = multipart ? Multipart.newBoundary() : null;
    StreamingOutput body =
        out -> frames.writeBulkData(tenant, i, r.offset(), r.length(), out, boundary);
    return Response.ok(body)
        .type(
            multipart
                ? Multipart.contentType(Negotiation.OCTET_STREAM, boundary)
                : Negotiation.OCTET_STREAM)
        .build();
  }

  private Response instances(String[] u, HttpHeaders headers) {
    AcceptedTypes accept = accept(headers);
    InstanceLocator.Located at = locator.locate(readScope.get(), u[0], u[1], u[2]);
    audited.located(at);
    String tenant = at.tenant();
    List<StoredInstance> found = at.instances();
    List<String> syntaxes = new ArrayList<>();
    for (StoredInstance i : found) {
      syntaxes.add(i.transferSyntaxUid());
    }
    String target =
        Negotiation.transferSyntax(accept, Negotiation.DICOM, syntaxes, Transcoder::canTranscode);
    instances.requireReadable(tenant, found);
    String boundary = Multipart.newBoundary();
    StreamingOutput body = out -> instances.writeInstances(tenant, found, out, boundary, target);
    return Response.ok(body).type(Multipart.contentType(Negotiation.DICOM, boundary)).build();
  }

  private Response metadata(String[] u, HttpHeaders headers, UriInfo uri) {
    Negotiation.requireDicomJson(accept(headers));
    InstanceLocator.Located at = locator.locate(readScope.get(), u[0], u[1], u[2]);
    audited.located(at);
    String tenant = at.tenant();
    List<StoredInstance> found = at.instances();
    String base = retrieveBase(uri);
    StreamingOutput body = out -> metadata.writeMetadata(tenant, found, out, base);
    return Response.ok(body).type(Negotiation.DICOM_JSON).build();
  }

  private PixelDescription pixelDescription(String tenant, StoredInstance i) {
    try {
      return PixelDescription.of(objectHeaders.header(tenant, i, false));
    } catch (java.io.IOException e) {
      throw WadoException.storageFailed(e);
    }
  }

  private static AcceptedTypes accept(HttpHeaders headers) {
    return AcceptedTypes.parse(headers.getRequestHeader(HttpHeaders.ACCEPT));
  }

  /** The path's UIDs, checked: 400 for one that is not a UID (the value is not repeated). */
  static String[] uids(String study, String series, String instance) {
    check(study, "StudyInstanceUID");
    if (series != null) {
      check(series, "SeriesInstanceUID");
    }
    if (instance != null) {
      check(instance, "SOPInstanceUID");
    }
    return new String[] {study, series, instance};
  }

  private static void check(String uid, String name) {
    if (!Uid.isValid(uid)) {
      throw WadoException.badRequest(name + " in the path is not a valid UID");
    }
  }

  /** {@code 1,3,5}: frame numbers from 1, in the order asked; 400 otherwise. */
  static int[] frameNumbers(String list) {
    if (list == null || !FRAME_LIST.matcher(list).matches()) {
      throw WadoException.badRequest(
          "frame list must be frame numbers from 1, comma separated (e.g. 1,3,5)");
    }
    String[] parts = list.split(",");
    if (parts.length > MAX_FRAMES) {
      throw WadoException.badRequest("at most " + MAX_FRAMES + " frames per request");
    }
    int[] frames = new int[parts.length];
    for (int k = 0; k < parts.length; k++) {
      frames[k] = Integer.parseInt(parts[k]);
      if (frames[k] < 1) {
        throw WadoException.badRequest("frame numbers start at 1");
      }
    }
    return frames;
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
