package org.strata.query.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.strata.audit.AccessKind;
import org.strata.audit.Audited;
import org.strata.dicom.UID;
import org.strata.dicom.codec.Transcoder;
import org.strata.dicom.deid.Deidentifier;
import org.strata.events.AuditRecord.Channels;
import org.strata.http.auth.Roles;
import org.strata.query.config.QueryConfig;
import org.strata.query.render.ImageEncoder;
import org.strata.query.render.RenderParams;
import org.strata.query.render.RenderedService;
import org.strata.query.security.ReadScope;
import org.strata.query.wado.Anonymizer;
import org.strata.query.wado.InstanceLocator;
import org.strata.query.wado.InstanceRetrieval;
import org.strata.query.wado.StoredInstance;
import org.strata.query.wado.WadoException;

/**
 * WADO-URI (PS3.18 chapter 9, the URI service) at {@code {base}/wado}: one object as {@code
 * application/dicom} (Explicit VR Little Endian unless {@code transferSyntax} names another) or one
 * frame rendered as {@code image/jpeg} or {@code image/png}; with {@code anonymize=yes} the object
 * de-identified with the PS3.15 Basic Profile and the tenant's UID key ({@link Anonymizer}). The
 * base URL's reverse proxy already sends every GET under {@code /dicomweb} here, so the URI service
 * needs no route of its own.
 */
@Path("/dicomweb/wado")
@Tag(name = "WADO-URI")
@RolesAllowed(Roles.READER)
@Audited(kind = AccessKind.READ, channel = Channels.WADO_URI, studyParam = "studyUID")
public class WadoUriResource {
  private final InstanceLocator locator;
  private final InstanceRetrieval instances;
  private final RenderedService rendered;
  private final QueryConfig config;
  @jakarta.inject.Inject ReadScope readScope;
  @jakarta.inject.Inject Anonymizer anonymizer;
  @jakarta.inject.Inject AuditedAccess audited;

  public WadoUriResource(
      InstanceLocator locator,
      InstanceRetrieval instances,
      RenderedService rendered,
      QueryConfig config) {
    this.locator = locator;
    this.instances = instances;
    this.rendered = rendered;
    this.config = config;
  }

  @GET
  @Operation(summary = "WADO-URI: an object as application/dicom, or a frame as image/jpeg|png")
  public Response get(
      @Parameter(description = "WADO (required)") @QueryParam("requestType") String requestType,
      @QueryParam("studyUID") String studyUid,
      @QueryParam("seriesUID") String seriesUid,
      @QueryParam("objectUID") String objectUid,
      @Parameter(
              description =
                  "application/dicom, image/jpeg (default for images) or image/png;"
                      + " a comma-separated list in order of preference")
          @QueryParam("contentType")
          String contentType,
      @QueryParam("transferSyntax") String transferSyntax,
      @QueryParam("frameNumber") String frameNumber,
      @QueryParam("windowCenter") String windowCenter,
      @QueryParam("windowWidth") String windowWidth,
      @QueryParam("rows") String rows,
      @QueryParam("columns") String columns,
      @QueryParam("region") String region,
      @QueryParam("imageQuality") String imageQuality,
      @QueryParam("anonymize") String anonymize,
      @QueryParam("presentationUID") String presentationUid) {
    if (requestType == null) {
      throw WadoException.badRequest("requestType is required (requestType=WADO)");
    }
    if (!requestType.equals("WADO")) {
      throw WadoException.badRequest("requestType must be WADO");
    }
    for (String[] uid :
        new String[][] {
          {studyUid, "studyUID"}, {seriesUid, "seriesUID"}, {objectUid, "objectUID"}
        }) {
      if (uid[0] == null || uid[0].isBlank()) {
        throw WadoException.badRequest(uid[1] + " is required");
      }
    }
    try {
      WadoResource.uids(studyUid, seriesUid, objectUid);
    } catch (WadoException e) {
      throw WadoException.badRequest("studyUID, seriesUID and objectUID must be valid UIDs");
    }
    boolean anonymized = anonymize != null;
    if (anonymized) {
      // PS3.18 9.1.2.x: "yes" only, and for application/dicom only.
      if (!anonymize.strip().equalsIgnoreCase("yes")) {
        throw WadoException.badRequest("anonymize must be yes");
      }
      if (contentType != null && !contentType.strip().startsWith("application/dicom")) {
        throw WadoException.badRequest("anonymize is for contentType=application/dicom only");
      }
    }
    if (presentationUid != null && !presentationUid.isBlank()) {
      throw WadoException.notAcceptable("presentation states are not applied (presentationUID)");
    }
    InstanceLocator.Located at = locator.locate(readScope.get(), studyUid, seriesUid, objectUid);
    audited.located(at);
    String tenant = at.tenant();
    StoredInstance i = at.instances().get(0);
    String type = anonymized ? "application/dicom" : contentType(contentType, i);
    if (type.equals("application/dicom")) {
      for (String[] p :
          new String[][] {
            {frameNumber, "frameNumber"},
            {windowCenter, "windowCenter"},
            {windowWidth, "windowWidth"},
            {rows, "rows"},
            {columns, "columns"},
            {region, "region"},
            {imageQuality, "imageQuality"}
          }) {
        if (p[0] != null) {
          throw WadoException.badRequest(p[1] + " is for images, not application/dicom");
        }
      }
      return dicom(tenant, i, transferSyntax, anonymized ? anonymizer.forTenant(tenant) : null);
    }
    if (transferSyntax != null) {
      throw WadoException.badRequest("transferSyntax is for application/dicom only");
    }
    RenderedService.Renderable r;
    try {
      r = rendered.prepare(tenant, i);
    } catch (WadoException e) {
      if (contentType == null && e.status() == 400) {
        return dicom(
            tenant, i, null, null); // not an image (no Rows/Columns): the default is the object
      }
      throw e;
    }
    return image(
        tenant,
        r,
        type,
        frameNumber,
        windowCenter,
        windowWidth,
        rows,
        columns,
        region,
        imageQuality);
  }

  /**
   * The first supported type of the list; none given: JPEG for objects whose pixel data we decode
   * (an object without an image then falls back to DICOM), else DICOM.
   */
  private static String contentType(String list, StoredInstance i) {
    if (list == null || list.isBlank()) {
      return RenderedService.decodable(i) ? ImageEncoder.JPEG : "application/dicom";
    }
    for (String t : list.split(",")) {
      String type = t.split(";")[0].strip().toLowerCase(Locale.ROOT);
      switch (type) {
        case "application/dicom", ImageEncoder.JPEG, ImageEncoder.PNG -> {
          return type;
        }
        case "*/*", "image/*" -> {
          return ImageEncoder.JPEG;
        }
        default -> {
          // next
        }
      }
    }
    throw WadoException.notAcceptable(
        "contentType must be application/dicom, image/jpeg or image/png");
  }

  private Response dicom(String tenant, StoredInstance i, String asked, Deidentifier deidentifier) {
    String stored = i.transferSyntaxUid();
    String target;
    if (asked == null || asked.isBlank()) {
      // PS3.18 9.x: Explicit VR Little Endian by default; as stored when that cannot be made.
      target =
          stored.equals(UID.ExplicitVRLittleEndian)
                  || !Transcoder.canTranscode(stored, UID.ExplicitVRLittleEndian)
              ? null
              : UID.ExplicitVRLittleEndian;
    } else if (asked.strip().equals(stored)) {
      target = null;
    } else if (Transcoder.canTranscode(stored, asked.strip())) {
      target = asked.strip();
    } else {
      throw WadoException.notAcceptable(
          "transcoding from " + stored + " to " + asked.strip() + " is not supported");
    }
    instances.requireReadable(tenant, java.util.List.of(i));
    if (deidentifier != null) {
      StreamingOutput anonymized =
          out ->
              Anonymizer.write(
                  tmp -> instances.writeObject(tenant, i, tmp, target), deidentifier, out);
      return Response.ok(anonymized).type("application/dicom").build();
    }
    StreamingOutput body = out -> instances.writeObject(tenant, i, out, target);
    Response.ResponseBuilder r = Response.ok(body).type("application/dicom");
    if (target == null) {
      r.header("Content-Length", i.size());
    }
    return r.build();
  }

  private Response image(
      String tenant,
      RenderedService.Renderable r,
      String type,
      String frameNumber,
      String windowCenter,
      String windowWidth,
      String rows,
      String columns,
      String region,
      String imageQuality) {
    int frame = 1;
    if (frameNumber != null) {
      frame = positive(frameNumber, "frameNumber");
    }
    if ((windowCenter == null) != (windowWidth == null)) {
      throw WadoException.badRequest("windowCenter and windowWidth go together");
    }
    String window = windowCenter == null ? null : windowCenter + "," + windowWidth;
    RenderParams params = RenderParams.parse(window, null, imageQuality);
    if (frame > r.index().frameCount()) {
      throw WadoException.badRequest(
          "frameNumber out of range: the instance has " + r.index().frameCount() + " frame(s)");
    }
    RenderParams.Viewport viewport = viewport(rows, columns, region, r);
    try {
      byte[] image = rendered.render(tenant, r, frame, params, viewport, type);
      return Response.ok(image).type(type).build();
    } catch (IOException e) {
      throw WadoException.storageFailed(e);
    }
  }

  /**
   * rows/columns: the output size, the aspect ratio kept when one is given alone (PS3.18 9.x);
   * region: x1,y1,x2,y2 as fractions of the image (0.0 to 1.0).
   */
  private static RenderParams.Viewport viewport(
      String rows, String columns, String region, RenderedService.Renderable r) {
    int w = r.image().columns();
    int h = r.image().rows();
    int sx = 0;
    int sy = 0;
    int sw = w;
    int sh = h;
    if (region != null) {
      String[] p = region.split(",", -1);
      if (p.length != 4) {
        throw WadoException.badRequest("region must be x1,y1,x2,y2 (fractions 0.0 to 1.0)");
      }
      double[] f = new double[4];
      for (int k = 0; k < 4; k++) {
        try {
          f[k] = Double.parseDouble(p[k].strip());
        } catch (NumberFormatException e) {
          throw WadoException.badRequest("region values must be numbers from 0.0 to 1.0");
        }
        if (!(f[k] >= 0 && f[k] <= 1)) {
          throw WadoException.badRequest("region values must be numbers from 0.0 to 1.0");
        }
      }
      if (f[2] <= f[0] || f[3] <= f[1]) {
        throw WadoException.badRequest("region must have x2 > x1 and y2 > y1");
      }
      sx = (int) Math.floor(f[0] * w);
      sy = (int) Math.floor(f[1] * h);
      sw = Math.max(1, (int) Math.round((f[2] - f[0]) * w));
      sh = Math.max(1, (int) Math.round((f[3] - f[1]) * h));
    }
    if (rows == null && columns == null && region == null) {
      return null;
    }
    int vw = columns != null ? positive(columns, "columns") : 0;
    int vh = rows != null ? positive(rows, "rows") : 0;
    if (vw == 0 && vh == 0) {
      vw = sw;
      vh = sh;
    } else if (vw == 0) {
      vw = Math.max(1, (int) Math.round(sw * (vh / (double) sh)));
    } else if (vh == 0) {
      vh = Math.max(1, (int) Math.round(sh * (vw / (double) sw)));
    }
    if (vw > RenderParams.MAX_SIDE || vh > RenderParams.MAX_SIDE) {
      throw WadoException.badRequest("rows and columns must be at most " + RenderParams.MAX_SIDE);
    }
    return new RenderParams.Viewport(vw, vh, sx, sy, sw, sh);
  }

  private static int positive(String value, String name) {
    try {
      int v = Integer.parseInt(value.strip());
      if (v >= 1) {
        return v;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw WadoException.badRequest(name + " must be a positive integer");
  }
}
