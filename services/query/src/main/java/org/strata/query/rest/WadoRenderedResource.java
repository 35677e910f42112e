package org.strata.query.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.strata.audit.AccessKind;
import org.strata.audit.Audited;
import org.strata.events.AuditRecord.Channels;
import org.strata.http.auth.Roles;
import org.strata.query.config.QueryConfig;
import org.strata.query.render.RenderParams;
import org.strata.query.render.RenderedMedia;
import org.strata.query.render.RenderedService;
import org.strata.query.security.ReadScope;
import org.strata.query.wado.AcceptedTypes;
import org.strata.query.wado.InstanceLocator;
import org.strata.query.wado.Multipart;
import org.strata.query.wado.StoredInstance;
import org.strata.query.wado.WadoException;

/**
 * WADO-RS rendered and thumbnail resources (PS3.18 10.4.1.1.3 and 10.4.1.1.4): {@code image/jpeg}
 * or {@code image/png}, with the {@code window}, {@code viewport} and {@code quality} parameters.
 * Study and series rendered: {@code multipart/related}, one image per instance (its first frame);
 * instance: its first frame; frames: one image, or a multipart for several. Thumbnails: one image
 * (the first renderable instance of the study or series), fitted in 128 x 128 unless a viewport is
 * given.
 */
@Path("/dicomweb")
@Tag(name = "WADO-RS rendered")
@RolesAllowed(Roles.READER)
@Audited(kind = AccessKind.READ, channel = Channels.WADO_RS)
public class WadoRenderedResource {
  /** The parameters every rendered and thumbnail resource takes (PS3.18 8.3.5). */
  public static final class RenderQuery {
    @QueryParam("window")
    String window;

    @QueryParam("viewport")
    String viewport;

    @QueryParam("quality")
    String quality;

    @Context HttpHeaders headers;

    RenderParams params() {
      return RenderParams.parse(window, viewport, quality);
    }
  }

  private final InstanceLocator locator;
  private final RenderedService rendered;
  private final QueryConfig config;
  @jakarta.inject.Inject ReadScope readScope;
  @jakarta.inject.Inject AuditedAccess audited;

  public WadoRenderedResource(
      InstanceLocator locator, RenderedService rendered, QueryConfig config) {
    this.locator = locator;
    this.rendered = rendered;
    this.config = config;
  }

  @GET
  @Path("/studies/{study}/rendered")
  @Operation(summary = "Rendered study: one image per instance (first frame), multipart/related")
  public Response study(@PathParam("study") String study, @BeanParam RenderQuery query) {
    return many(study, null, query.params(), query.headers);
  }

  @GET
  @Path("/studies/{study}/series/{series}/rendered")
  @Operation(summary = "Rendered series: one image per instance (first frame), multipart/related")
  public Response series(
      @PathParam("study") String study,
      @PathParam("series") String series,
      @BeanParam RenderQuery query) {
    return many(study, series, query.params(), query.headers);
  }

  @GET
  @Path("/studies/{study}/series/{series}/instances/{instance}/rendered")
  @Operation(summary = "Rendered instance: its first frame as image/jpeg or image/png")
  public Response instance(
      @PathParam("study") String study,
      @PathParam("series") String series,
      @PathParam("instance") String instance,
      @BeanParam RenderQuery query) {
    RenderParams params = query.params();
    return frames(study, series, instance, new int[] {1}, params, params.viewport(), query.headers);
  }

  @GET
  @Path("/studies/{study}/series/{series}/instances/{instance}/frames/{frames}/rendered")
  @Operation(summary = "Rendered frames: one image, or multipart/related for several frames")
  public Response frames(
      @PathParam("study") String study,
      @PathParam("series") String series,
      @PathParam("instance") String instance,
      @PathParam("frames") String frameList,
      @BeanParam RenderQuery query) {
    RenderParams params = query.params();
    int[] frames = WadoResource.frameNumbers(frameList);
    return frames(study, series, instance, frames, params, params.viewport(), query.headers);
  }

  @GET
  @Path("/studies/{study}/thumbnail")
  @Operation(summary = "Thumbnail of a study: its first renderable instance, 128 x 128 by default")
  public Response studyThumbnail(@PathParam("study") String study, @BeanParam RenderQuery query) {
    return thumbnail(study, null, query.params(), query.headers);
  }

  @GET
  @Path("/studies/{study}/series/{series}/thumbnail")
  @Operation(summary = "Thumbnail of a series: its first renderable instance")
  public Response seriesThumbnail(
      @PathParam("study") String study,
      @PathParam("series") String series,
      @BeanParam RenderQuery query) {
    return thumbnail(study, series, query.params(), query.headers);
  }

  @GET
  @Path("/studies/{study}/series/{series}/instances/{instance}/thumbnail")
  @Operation(summary = "Thumbnail of an instance (first frame)")
  public Response instanceThumbnail(
      @PathParam("study") String study,
      @PathParam("series") String series,
      @PathParam("instance") String instance,
      @BeanParam RenderQuery query) {
    RenderParams params = query.params();
    return frames(study, series, instance, new int[] {1}, params, thumbBox(params), query.headers);
  }

  @GET
  @Path("/studies/{study}/series/{series}/instances/{instance}/frames/{frames}/thumbnail")
  @Operation(summary = "Thumbnail of a frame (the first of the list)")
  public Response framesThumbnail(
      @PathParam("study") String study,
      @PathParam("series") String series,
      @PathParam("instance") String instance,
      @PathParam("frames") String frameList,
      @BeanParam RenderQuery query) {
    RenderParams params = query.params();
    int[] frames = WadoResource.frameNumbers(frameList);
    return frames(
        study, series, instance, new int[] {frames[0]}, params, thumbBox(params), query.headers);
  }

  private Response many(String study, String series, RenderParams params, HttpHeaders headers) {
    WadoResource.uids(study, series, null);
    String media = RenderedMedia.choose(accept(headers));
    InstanceLocator.Located at = locator.locate(readScope.get(), study, series, null);
    audited.located(at);
    String tenant = at.tenant();
    List<StoredInstance> found = at.instances();
    List<StoredInstance> decodable = new ArrayList<>();
    for (StoredInstance i : found) {
      if (RenderedService.decodable(i)) {
        decodable.add(i);
      }
    }
    if (decodable.isEmpty()) {
      throw WadoException.notAcceptable("no instance here has pixel data that is rendered");
    }
    String boundary = Multipart.newBoundary();
    StreamingOutput body =
        out -> rendered.writeInstances(tenant, decodable, params, media, out, boundary);
    return Response.ok(body).type(Multipart.contentType(media, boundary)).build();
  }

  private Response frames(
      String study,
      String series,
      String instance,
      int[] frames,
      RenderParams params,
      RenderParams.Viewport viewport,
      HttpHeaders headers) {
    WadoResource.uids(study, series, instance);
    String media = RenderedMedia.choose(accept(headers));
    InstanceLocator.Located at = locator.locate(readScope.get(), study, series, instance);
    audited.located(at);
    String tenant = at.tenant();
    StoredInstance i = at.instances().get(0);
    RenderedService.Renderable r = rendered.prepare(tenant, i);
    for (int f : frames) {
      if (f > r.index().frameCount()) {
        throw WadoException.badRequest(
            "frame number out of range: the instance has " + r.index().frameCount() + " frame(s)");
      }
    }
    if (frames.length == 1) {
      byte[] image = render(tenant, r, frames[0], params, viewport, media);
      return Response.ok(image).type(media).build();
    }
    String boundary = Multipart.newBoundary();
    RenderParams p = new RenderParams(params.window(), viewport, params.quality());
    StreamingOutput body = out -> rendered.writeFrames(tenant, r, frames, p, media, out, boundary);
    return Response.ok(body).type(Multipart.contentType(media, boundary)).build();
  }

  private Response thumbnail(
      String study, String series, RenderParams params, HttpHeaders headers) {
    WadoResource.uids(study, series, null);
    String media = RenderedMedia.choose(accept(headers));
    InstanceLocator.Located at = locator.locate(readScope.get(), study, series, null);
    audited.located(at);
    String tenant = at.tenant();
    for (StoredInstance i : at.instances()) {
      if (!RenderedService.decodable(i)) {
        continue;
      }
      RenderedService.Renderable r;
      try {
        r = rendered.prepare(tenant, i);
      } catch (WadoException e) {
        if (e.status() == 503) {
          throw e;
        }
        continue;
      }
      byte[] image = render(tenant, r, 1, params, thumbBox(params), media);
      return Response.ok(image).type(media).build();
    }
    throw WadoException.notAcceptable("no instance here has pixel data that is rendered");
  }

  private byte[] render(
      String tenant,
      RenderedService.Renderable r,
      int frame,
      RenderParams params,
      RenderParams.Viewport viewport,
      String media) {
    try {
      return rendered.render(tenant, r, frame, params, viewport, media);
    } catch (IOException e) {
      throw WadoException.storageFailed(e);
    }
  }

  private static RenderParams.Viewport thumbBox(RenderParams params) {
    return params.viewport() != null ? params.viewport() : RenderedService.THUMBNAIL;
  }

  private static AcceptedTypes accept(HttpHeaders headers) {
    return AcceptedTypes.parse(headers.getRequestHeader(HttpHeaders.ACCEPT));
  }
}
