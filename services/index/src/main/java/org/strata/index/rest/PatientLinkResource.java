package org.strata.index.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.strata.audit.AccessKind;
import org.strata.audit.Audited;
import org.strata.events.AuditRecord.Channels;
import org.strata.events.PatientLinksChanged.PatientRef;
import org.strata.http.auth.Roles;
import org.strata.ids.TenantId;
import org.strata.index.service.PatientLinkService;
import org.strata.index.service.PatientLinkService.Link;
import org.strata.index.service.PatientLinkService.LinkException;
import org.strata.index.service.PatientLinkService.LinkResult;
import org.strata.index.service.PatientLinkService.MemberRef;
import org.strata.servicekit.rest.ErrorResponse;
import org.strata.servicekit.security.CurrentCaller;

/**
 * Patient links (ADR 0012): the same person under several Patient IDs, in one tenant or across
 * tenants. Scoped by the requesting tenant: it links at least one of its own patients, and sees and
 * changes only links holding one of its patients. Not yet protected: the OIDC admin role comes with
 * the security work.
 */
@Path("/admin/tenants/{tenant}/patient-links")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin: patient links", description = "Link patients that are one person (PIX-like)")
@RolesAllowed(Roles.ADMIN)
@Audited(kind = AccessKind.PATIENT_RECORD, channel = Channels.ADMIN_API)
public class PatientLinkResource {
  // LO: at most 64 characters, no backslash (value separator) or control characters.
  private static final Pattern LO = Pattern.compile("[^\\\\\\p{Cntrl}]{1,64}");
  private static final int MAX_MEMBERS = 50;
  private static final int MAX_REASON = 1024;
  private static final String REQUESTED_BY = "admin-api";

  private final PatientLinkService links;
  @jakarta.inject.Inject CurrentCaller caller;
  @jakarta.inject.Inject AuditedPatients audited;

  public PatientLinkResource(PatientLinkService links) {
    this.links = links;
  }

  /** A patient: its tenant (the path's when absent), Patient ID and Issuer of Patient ID. */
  public record Member(String tenant, String patientId, String issuer) {}

  /** What POST takes. */
  public record LinkRequest(List<Member> members, String reason) {}

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Link patients",
      description =
          "Links two or more patients (of this tenant or others) as one person. Patients already"
              + " in links: their links are merged into the oldest. A member without issuer names"
              + " the one patient of its tenant with that Patient ID.")
  @APIResponse(responseCode = "201", description = "a new link; Location names it")
  @APIResponse(responseCode = "200", description = "an existing link extended, merged or as asked")
  @APIResponse(
      responseCode = "400",
      description =
          "malformed input, fewer than two distinct patients (a patient linked to itself), or no"
              + " patient of this tenant")
  @APIResponse(responseCode = "404", description = "a member names no patient")
  @APIResponse(responseCode = "409", description = "a member without issuer names several patients")
  public Response link(@PathParam("tenant") String tenant, LinkRequest request) {
    tenant = canonicalTenant(tenant);
    String bad = checkTenant(tenant);
    if (bad == null && !caller.mayAdminister(tenant)) {
      return notHeld();
    }
    if (bad == null && request == null) {
      bad = "a JSON body with members is required";
    } else if (bad == null && (request.members() == null || request.members().size() < 2)) {
      bad = "at least two members are required";
    } else if (bad == null && request.members().size() > MAX_MEMBERS) {
      bad = "at most " + MAX_MEMBERS + " members per request";
    } else if (bad == null && request.reason() != null && request.reason().length() > MAX_REASON) {
      bad = "reason is longer than " + MAX_REASON + " characters";
    }
    List<MemberRef> refs = new ArrayList<>();
    for (int i = 0; bad == null && i < request.members().size(); i++) {
      Member m = request.members().get(i);
      String what = "members[" + i + "]";
      if (m == null) {
        bad = what + " is null";
        break;
      }
      String memberTenant = m.tenant() == null ? tenant : canonicalTenant(m.tenant());
      bad = checkMember(what, memberTenant, m.patientId(), m.issuer());
      if (bad == null && !caller.mayAdminister(memberTenant)) {
        // A link reaches another tenant only if the token holds it (ADR 0025); as unknown.
        return error(404, what + ": no such patient in tenant " + memberTenant);
      }
      refs.add(new MemberRef(memberTenant, m.patientId(), blankToNull(m.issuer())));
    }
    if (bad != null) {
      return error(400, bad);
    }
    try {
      LinkResult result = links.link(tenant, refs, request.reason(), REQUESTED_BY);
      audited.patients(result.link().members());
      if (result.created()) {
        return Response.created(URI.create(path(tenant, result.link().id())))
            .entity(visible(result.link()))
            .build();
      }
      return Response.ok(visible(result.link())).build();
    } catch (LinkException e) {
      refs.forEach(r -> audited.patient(r.patientId(), r.issuer()));
      return error(e.status(), e.getMessage());
    }
  }

  @GET
  @Audited(kind = AccessKind.QUERY, channel = Channels.ADMIN_API)
  @Operation(
      summary = "List links",
      description = "The links holding a patient of this tenant (or only the given patient's).")
  @APIResponse(responseCode = "200", description = "the links, oldest first")
  @APIResponse(responseCode = "400", description = "malformed tenant, Patient ID or issuer")
  public Response list(
      @PathParam("tenant") String tenant,
      @Parameter(description = "only the link of this patient of the tenant")
          @QueryParam("patientId")
          String patientId,
      @Parameter(description = "with patientId: its issuer") @QueryParam("issuer") String issuer,
      @Parameter(description = "at most this many links (default 100, at most 1000)")
          @QueryParam("limit")
          Integer limit) {
    tenant = canonicalTenant(tenant);
    String bad = checkTenant(tenant);
    if (bad == null && !caller.mayAdminister(tenant)) {
      return notHeld();
    }
    if (bad == null && patientId != null) {
      bad = checkMember("patientId", tenant, patientId, issuer);
    }
    if (bad == null && limit != null && (limit < 1 || limit > 1000)) {
      bad = "limit must be 1 to 1000";
    }
    if (bad != null) {
      return error(400, bad);
    }
    if (patientId != null) {
      audited.patient(patientId, blankToNull(issuer));
    }
    List<Link> found =
        links.list(tenant, patientId, blankToNull(issuer), limit == null ? 100 : limit);
    List<Link> shown = found.stream().map(this::visible).toList();
    shown.forEach(l -> audited.patients(l.members()));
    return Response.ok(shown).build();
  }

  @GET
  @Audited(kind = AccessKind.QUERY, channel = Channels.ADMIN_API)
  @Path("/{link}")
  @Operation(summary = "Get a link")
  @APIResponse(responseCode = "200", description = "the link and its patients")
  @APIResponse(responseCode = "400", description = "malformed tenant or link id")
  @APIResponse(responseCode = "404", description = "no such link with a patient of this tenant")
  public Response get(@PathParam("tenant") String tenant, @PathParam("link") String link) {
    tenant = canonicalTenant(tenant);
    String bad = checkTenant(tenant);
    if (bad == null && !caller.mayAdminister(tenant)) {
      return notHeld();
    }
    UUID id = bad == null ? uuid(link) : null;
    if (bad != null || id == null) {
      return error(400, bad != null ? bad : "malformed link id");
    }
    Link found = links.get(tenant, id);
    if (found == null) {
      return error(404, "no link " + id + " with a patient of tenant " + tenant);
    }
    Link shown = visible(found);
    audited.patients(shown.members());
    return Response.ok(shown).build();
  }

  @DELETE
  @Path("/{link}")
  @Operation(summary = "Dissolve a link", description = "Its patients are separate again.")
  @APIResponse(responseCode = "204", description = "dissolved")
  @APIResponse(responseCode = "400", description = "malformed tenant or link id")
  @APIResponse(responseCode = "404", description = "no such link with a patient of this tenant")
  public Response dissolve(
      @PathParam("tenant") String tenant,
      @PathParam("link") String link,
      @QueryParam("reason") String reason) {
    tenant = canonicalTenant(tenant);
    String bad = checkTenant(tenant);
    if (bad == null && !caller.mayAdminister(tenant)) {
      return notHeld();
    }
    UUID id = bad == null ? uuid(link) : null;
    if (bad != null || id == null) {
      return error(400, bad != null ? bad : "malformed link id");
    }
    try {
      audited.patients(links.dissolve(tenant, id, reason, REQUESTED_BY));
      return Response.noContent().build();
    } catch (LinkException e) {
      return error(e.status(), e.getMessage());
    }
  }

  @DELETE
  @Path("/{link}/members")
  @Operation(
      summary = "Remove a patient from a link",
      description = "A link left with fewer than two patients is dissolved (204).")
  @APIResponse(responseCode = "200", description = "the link without the patient")
  @APIResponse(responseCode = "204", description = "the link was dissolved")
  @APIResponse(responseCode = "400", description = "malformed input")
  @APIResponse(
      responseCode = "404",
      description = "no such link with a patient of this tenant, or the patient is not in it")
  @APIResponse(responseCode = "409", description = "no issuer, several patients with the ID")
  public Response unlink(
      @PathParam("tenant") String tenant,
      @PathParam("link") String link,
      @Parameter(description = "the patient's tenant (default: the path's)")
          @QueryParam("memberTenant")
          String memberTenant,
      @QueryParam("patientId") String patientId,
      @QueryParam("issuer") String issuer,
      @QueryParam("reason") String reason) {
    tenant = canonicalTenant(tenant);
    String bad = checkTenant(tenant);
    if (bad == null && !caller.mayAdminister(tenant)) {
      return notHeld();
    }
    UUID id = bad == null ? uuid(link) : null;
    if (bad == null && id == null) {
      bad = "malformed link id";
    }
    String of = memberTenant == null ? tenant : canonicalTenant(memberTenant);
    if (bad == null) {
      bad = checkMember("member", of, patientId, issuer);
    }
    if (bad == null && !caller.mayAdminister(of)) {
      return error(404, "member: no such patient in tenant " + of);
    }
    if (bad != null) {
      return error(400, bad);
    }
    audited.patient(patientId, blankToNull(issuer));
    try {
      Link after =
          links.unlink(
              tenant, id, new MemberRef(of, patientId, blankToNull(issuer)), reason, REQUESTED_BY);
      if (after != null) {
        audited.patients(after.members());
      }
      return after == null ? Response.noContent().build() : Response.ok(visible(after)).build();
    } catch (LinkException e) {
      return error(e.status(), e.getMessage());
    }
  }

  /**
   * The link as the caller may see it: only its members in tenants the token holds whole (ADR
   * 0025); another tenant's patients are not disclosed by a link that reaches them (issue 15).
   */
  private Link visible(Link link) {
    List<PatientRef> members =
        link.members().stream().filter(m -> caller.mayAdminister(m.tenant())).toList();
    return members.size() == link.members().size()
        ? link
        : new Link(
            link.id(),
            link.createdAt(),
            link.createdBy(),
            link.reason(),
            link.updatedAt(),
            members);
  }

  /** The lower-case form of a valid tenant id (ADR 0022); an invalid one as is, for the check. */
  private static String canonicalTenant(String tenant) {
    return TenantId.isValid(tenant) ? TenantId.parse(tenant).value() : tenant;
  }

  private static String checkTenant(String tenant) {
    return TenantId.isValid(tenant) ? null : "malformed tenant";
  }

  private static String checkMember(String what, String tenant, String patientId, String issuer) {
    if (!TenantId.isValid(tenant)) {
      return what + ": malformed tenant";
    }
    if (patientId == null || patientId.isBlank()) {
      return what + ": patientId is required";
    }
    if (!LO.matcher(patientId).matches()) {
      return what + ": patientId must be at most 64 characters without backslash or controls";
    }
    if (issuer != null && !issuer.isBlank() && !LO.matcher(issuer).matches()) {
      return what + ": issuer must be at most 64 characters without backslash or controls";
    }
    return null;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static UUID uuid(String s) {
    try {
      UUID id = UUID.fromString(s);
      return id.toString().equalsIgnoreCase(s) ? id : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String path(String tenant, String id) {
    return "/admin/tenants/" + tenant + "/patient-links/" + id;
  }

  /** A tenant the token does not hold whole: as if it had no links (404, ADR 0025). */
  private static Response notHeld() {
    return error(404, "no such tenant for this caller");
  }

  private static Response error(int status, String reason) {
    return ErrorResponse.of(status, reason);
  }
}
