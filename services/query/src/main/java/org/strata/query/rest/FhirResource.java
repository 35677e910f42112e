package org.strata.query.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.strata.audit.AccessKind;
import org.strata.audit.Audited;
import org.strata.events.AuditRecord.Channels;
import org.strata.http.auth.Roles;
import org.strata.query.config.QueryConfig;
import org.strata.query.fhir.ImagingStudyRepository;
import org.strata.query.fhir.ImagingStudySearch;
import org.strata.query.fhir.ImagingStudyService;
import org.strata.query.security.ReadScope;

/**
 * FHIR R4 ImagingStudy ({@code /fhir}): read by id (the StudyInstanceUID) and search by patient
 * identifier, identifier, started and modality, as {@code application/fhir+json}; errors as an
 * OperationOutcome. Limited to the caller's tenant as QIDO-RS is. Blocking (worker threads).
 */
@Path("/fhir")
@Tag(name = "FHIR R4", description = "ImagingStudy read and search")
@Produces({FhirResource.FHIR_JSON, "application/json"})
@RolesAllowed(Roles.READER)
public class FhirResource {
  public static final String FHIR_JSON = "application/fhir+json";

  private final ImagingStudyService service;
  private final QueryConfig config;
  @jakarta.inject.Inject ReadScope readScope;
  @jakarta.inject.Inject AuditedAccess audited;

  public FhirResource(ImagingStudyService service, QueryConfig config) {
    this.service = service;
    this.config = config;
  }

  @GET
  @Path("/metadata")
  @Operation(
      summary = "CapabilityStatement",
      description = "What this FHIR endpoint serves: ImagingStudy read and search, JSON only.")
  @APIResponse(responseCode = "200", description = "CapabilityStatement (application/fhir+json)")
  public Response metadata(@Context UriInfo uri) {
    return ok(service.capabilities(fhirBase(uri)));
  }

  @GET
  @Path("/ImagingStudy/{id}")
  @Audited(kind = AccessKind.READ, channel = Channels.FHIR, studyParam = "id")
  @Operation(
      summary = "Read an ImagingStudy",
      description =
          "The study of the caller's tenant whose StudyInstanceUID is the id, with its series,"
              + " instances and a contained Endpoint (dicom-wado-rs) naming the DICOMweb base.")
  @APIResponse(responseCode = "200", description = "ImagingStudy (application/fhir+json)")
  @APIResponse(responseCode = "400", description = "OperationOutcome: the id is not a UID")
  @APIResponse(responseCode = "404", description = "OperationOutcome: no such study")
  public Response read(
      @Parameter(description = "StudyInstanceUID") @PathParam("id") String id,
      @Context UriInfo uri) {
    return ok(service.read(readScope.get(), id, dicomwebBase(uri), this::seen));
  }

  @GET
  @Path("/ImagingStudy")
  @Audited(kind = AccessKind.QUERY, channel = Channels.FHIR)
  @Operation(
      summary = "Search ImagingStudy",
      description =
          "A searchset Bundle of the caller's tenant's studies, newest first. Occurrences of a"
              + " parameter are ANDed, comma-separated values ORed; unknown parameters: 400.")
  @Parameter(
      name = "patient:identifier",
      in = ParameterIn.QUERY,
      description =
          "[system|]Patient ID; system urn:oid:<issuer> or urn:strata:issuer:<issuer>. Also"
              + " accepted as patient.identifier, subject:identifier, subject.identifier,"
              + " subject:Patient.identifier")
  @Parameter(
      name = "identifier",
      in = ParameterIn.QUERY,
      description =
          "urn:dicom:uid|urn:oid:<StudyInstanceUID>, urn:oid:<UID>, or an accession number")
  @Parameter(name = "_id", in = ParameterIn.QUERY, description = "StudyInstanceUID")
  @Parameter(
      name = "started",
      in = ParameterIn.QUERY,
      description = "[eq|ne|gt|lt|ge|le]YYYY[-MM[-DD[Thh:mm[:ss[.f]][Z|+hh:mm]]]]; repeatable")
  @Parameter(
      name = "modality",
      in = ParameterIn.QUERY,
      description = "[http://dicom.nema.org/resources/ontology/DCM|]code, e.g. CT")
  @Parameter(name = "_count", in = ParameterIn.QUERY, description = "studies per page")
  @Parameter(name = "_offset", in = ParameterIn.QUERY, description = "studies skipped (paging)")
  @APIResponse(responseCode = "200", description = "Bundle searchset (application/fhir+json)")
  @APIResponse(responseCode = "400", description = "OperationOutcome: a bad parameter")
  public Response search(@Context UriInfo uri) {
    Map<String, List<String>> params = new LinkedHashMap<>(uri.getQueryParameters(true));
    ImagingStudySearch search =
        ImagingStudySearch.parse(
            params, service.zone(), service.defaultCount(), service.maxCount());
    String base = fhirBase(uri);
    ImagingStudyService.Links links =
        new ImagingStudyService.Links(
            page(base, params, search.count(), search.offset()),
            page(base, params, search.count(), search.offset() + search.count()),
            page(base, params, search.count(), Math.max(0, search.offset() - search.count())));
    return ok(service.search(readScope.get(), search, base, dicomwebBase(uri), links, this::seen));
  }

  /** A study answered: named with its patient in the request's audit record. */
  private void seen(ImagingStudyRepository.Study study) {
    audited.study(study.uid(), study.accessionNumber(), study.patientId(), study.issuer());
  }

  private static Response ok(String json) {
    return Response.ok(json, FHIR_JSON + ";charset=utf-8").build();
  }

  /** The search URL of a page: the request's parameters with this _count and _offset. */
  private static String page(String base, Map<String, List<String>> params, int count, int offset) {
    StringBuilder b = new StringBuilder(base).append("/ImagingStudy?");
    params.forEach(
        (name, values) -> {
          if (!name.equals("_count") && !name.equals("_offset")) {
            for (String v : values) {
              b.append(encode(name)).append('=').append(encode(v)).append('&');
            }
          }
        });
    b.append("_count=").append(count);
    if (offset > 0) {
      b.append("&_offset=").append(offset);
    }
    return b.toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private String fhirBase(UriInfo uri) {
    return trim(
        config
            .fhir()
            .baseUrl()
            .filter(s -> !s.isBlank())
            .orElseGet(() -> uri.getBaseUri().resolve("fhir").toString()));
  }

  private String dicomwebBase(UriInfo uri) {
    return trim(
        config
            .retrieveBaseUrl()
            .filter(s -> !s.isBlank())
            .orElseGet(() -> uri.getBaseUri().resolve("dicomweb").toString()));
  }

  private static String trim(String base) {
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }
}
