package org.strata.query.fhir;

import ca.uhn.fhir.context.FhirContext;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.ZoneId;
import java.util.Date;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.strata.ids.Uid;
import org.strata.query.config.QueryConfig;
import org.strata.query.qido.TenantScope;

/**
 * FHIR R4 ImagingStudy read and search over the index, encoded with HAPI's JSON parser (ADR 0009:
 * HAPI's model classes and parser, not its server).
 */
@ApplicationScoped
public class ImagingStudyService {
  /** FHIR's id syntax; a StudyInstanceUID always fits it. */
  private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

  private final ImagingStudyRepository repository;
  private final QueryConfig config;
  private final ZoneId zone;

  public ImagingStudyService(ImagingStudyRepository repository, QueryConfig config) {
    this.repository = repository;
    this.config = config;
    this.zone = ZoneId.of(config.fhir().zone());
  }

  /** HAPI builds its model of R4 on first use (about a second): at start, not in a request. */
  void warmUp(@Observes StartupEvent event) {
    context().newJsonParser().encodeResourceToString(new OperationOutcome());
  }

  static FhirContext context() {
    return FhirContext.forR4Cached();
  }

  /** The JSON of a resource (a parser per call: HAPI's parsers are not thread-safe). */
  public static String json(IBaseResource resource) {
    return context().newJsonParser().encodeResourceToString(resource);
  }

  public ZoneId zone() {
    return zone;
  }

  /**
   * {@code GET ImagingStudy/{id}}: the study in the caller's scope whose StudyInstanceUID is the
   * id; outside the scope it is not found (404, ADR 0025).
   *
   * @throws FhirException 400 for an id that is not a FHIR id or not a UID, 404 when unknown
   */
  public String read(
      TenantScope scope,
      String id,
      String dicomwebBase,
      Consumer<ImagingStudyRepository.Study> seen) {
    if (!FHIR_ID.matcher(id).matches() || !Uid.isValid(id)) {
      throw FhirException.invalid("id: an ImagingStudy id is its StudyInstanceUID");
    }
    ImagingStudyRepository.Study study = repository.read(scope, id);
    if (study == null) {
      throw FhirException.notFound("ImagingStudy not found");
    }
    seen.accept(study);
    return json(new ImagingStudyMapper(zone, dicomwebBase).map(study));
  }

  /**
   * {@code GET ImagingStudy?...}: a searchset Bundle of one page.
   *
   * @param links self and next links of the page (the resource builds them from the request)
   * @param seen told of every study answered (the request's audit record names it and its patient)
   */
  public String search(
      TenantScope scope,
      ImagingStudySearch search,
      String fhirBase,
      String dicomwebBase,
      Links links,
      Consumer<ImagingStudyRepository.Study> seen) {
    ImagingStudyRepository.Page page = repository.search(scope, search);
    page.studies().forEach(seen);
    ImagingStudyMapper mapper = new ImagingStudyMapper(zone, dicomwebBase);
    Bundle bundle = new Bundle();
    bundle.setType(Bundle.BundleType.SEARCHSET);
    bundle.addLink().setRelation("self").setUrl(links.self());
    if (page.more()) {
      bundle.addLink().setRelation("next").setUrl(links.next());
    }
    if (search.offset() > 0) {
      bundle.addLink().setRelation("previous").setUrl(links.previous());
    }
    for (ImagingStudyRepository.Study s : page.studies()) {
      bundle
          .addEntry()
          .setFullUrl(fhirBase + "/ImagingStudy/" + s.uid())
          .setResource(mapper.map(s))
          .getSearch()
          .setMode(Bundle.SearchEntryMode.MATCH);
    }
    return json(bundle);
  }

  /** The CapabilityStatement of {@code GET metadata}: ImagingStudy read and search, JSON. */
  public String capabilities(String fhirBase) {
    CapabilityStatement c = new CapabilityStatement();
    c.setStatus(Enumerations.PublicationStatus.ACTIVE);
    c.setDate(STARTED);
    c.setKind(CapabilityStatement.CapabilityStatementKind.INSTANCE);
    c.getSoftware().setName("Strata query service");
    c.getImplementation().setDescription("Strata imaging archive").setUrl(fhirBase);
    c.setFhirVersion(Enumerations.FHIRVersion._4_0_1);
    c.addFormat("application/fhir+json");
    CapabilityStatement.CapabilityStatementRestComponent rest =
        c.addRest().setMode(CapabilityStatement.RestfulCapabilityMode.SERVER);
    CapabilityStatement.CapabilityStatementRestResourceComponent r =
        rest.addResource().setType("ImagingStudy");
    r.setProfile("http://hl7.org/fhir/StructureDefinition/ImagingStudy");
    r.addInteraction().setCode(CapabilityStatement.TypeRestfulInteraction.READ);
    r.addInteraction().setCode(CapabilityStatement.TypeRestfulInteraction.SEARCHTYPE);
    r.addSearchParam()
        .setName("patient")
        .setType(Enumerations.SearchParamType.REFERENCE)
        .setDocumentation(
            "patient:identifier=[system|]value (also patient.identifier,"
                + " subject:Patient.identifier): the subject's Patient ID and issuer");
    r.addSearchParam()
        .setName("identifier")
        .setType(Enumerations.SearchParamType.TOKEN)
        .setDocumentation("urn:dicom:uid|urn:oid:<StudyInstanceUID>, or an accession number");
    r.addSearchParam().setName("_id").setType(Enumerations.SearchParamType.TOKEN);
    r.addSearchParam()
        .setName("started")
        .setType(Enumerations.SearchParamType.DATE)
        .setDocumentation("prefixes eq ne gt lt ge le");
    r.addSearchParam()
        .setName("modality")
        .setType(Enumerations.SearchParamType.TOKEN)
        .setDocumentation("DCM codes, e.g. http://dicom.nema.org/resources/ontology/DCM|CT");
    return json(c);
  }

  private static final Date STARTED = new Date();

  /** Paging links of a search answer. */
  public record Links(String self, String next, String previous) {}

  public int defaultCount() {
    return config.fhir().defaultCount();
  }

  public int maxCount() {
    return config.fhir().maxCount();
  }
}
