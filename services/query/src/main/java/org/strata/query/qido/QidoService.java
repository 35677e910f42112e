package org.strata.query.qido;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import org.strata.dicom.Attributes;
import org.strata.dicom.json.DicomJsonWriter;
import org.strata.events.AuditRecord.PatientRef;
import org.strata.indexschema.StudyTable;

/** Runs QIDO-RS searches against the index (read only) and writes their DICOM JSON. */
@ApplicationScoped
public class QidoService {
  private static final Logger LOG = Logger.getLogger(QidoService.class);

  private final Pool pool;

  public QidoService(Pool pool) {
    this.pool = pool;
  }

  /**
   * @param datasets the matches, each with the request's return attributes
   * @param truncated whether more matches follow (the next page starts at offset + count)
   * @param patients the matches' patients (ID and issuer, from the rows whatever the return
   *     attributes), for the audit record
   */
  public record Result(List<Attributes> datasets, boolean truncated, List<PatientRef> patients) {
    public int count() {
      return datasets.size();
    }

    /** The DICOM JSON array of the matches (PS3.18 F.2), null when there are none. */
    public String json() {
      if (datasets.isEmpty()) {
        return null;
      }
      StringWriter out = new StringWriter();
      try (DicomJsonWriter writer = new DicomJsonWriter(out)) {
        writer.startArray();
        for (Attributes ds : datasets) {
          writer.write(ds);
        }
        writer.endArray();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toString();
    }
  }

  /**
   * @param tenant the caller's tenant: every table of the query is limited to it
   * @param retrieveBase the base of RetrieveURL values, without trailing slash
   */
  public Uni<Result> search(QidoRequest request, String tenant, String retrieveBase) {
    return search(request, TenantScope.of(tenant), retrieveBase);
  }

  /**
   * @param scope the caller's tenant, where the keys match, and the tenants it may see, which a
   *     search by Patient ID reaches through patient links
   * @param retrieveBase the base of RetrieveURL values, without trailing slash
   */
  public Uni<Result> search(QidoRequest request, TenantScope scope, String retrieveBase) {
    ReturnAttributes returns = ReturnAttributes.of(request);
    Sql sql =
        QidoQuery.build(
            request, scope, returns.needsInstanceAttributes(), returns.otherPatientIds());
    return pool.preparedQuery(sql.text())
        .execute(Tuple.from(new ArrayList<>(sql.params())))
        .map(
            rows -> {
              List<Row> page = new ArrayList<>(request.limit());
              boolean truncated = false;
              for (Row row : rows) {
                if (page.size() == request.limit()) {
                  truncated = true;
                  break;
                }
                page.add(row);
              }
              // Counts and the level only: query values can be PHI.
              LOG.debugf(
                  "%s search: %d match(es)%s", request.level(), page.size(), truncated ? "+" : "");
              if (page.isEmpty()) {
                return new Result(List.of(), false, List.of());
              }
              return new Result(
                  ResultRows.datasets(page, request, returns, retrieveBase),
                  truncated,
                  ResultRows.patients(page));
            });
  }

  /**
   * One match as a data set of the request's return attributes, the pk of its patient, and its
   * study and patient (ID and issuer) as the row holds them, for the audit record.
   */
  public record Match(Attributes dataset, long patientPk, String studyUid, PatientRef patient) {}

  /**
   * @param matches at most {@code limit} matches from {@code offset}
   * @param more whether more matches follow
   */
  public record Page(List<Match> matches, boolean more) {}

  /**
   * @param named at most the bound's number of distinct patients of the search
   * @param total how many distinct patients match in all
   */
  public record Patients(List<PatientRef> named, long total) {}

  /**
   * The distinct patients of every match of a search, all pages, at most {@code bound} named (the
   * C-FIND SCP's audit record); blocking, as {@link #page}.
   */
  public Patients patients(QidoRequest request, TenantScope scope, int bound) {
    Sql sql = QidoQuery.patients(request, scope, bound);
    List<Row> rows = new ArrayList<>();
    for (Row row :
        pool.preparedQuery(sql.text())
            .execute(Tuple.from(new ArrayList<>(sql.params())))
            .await()
            .indefinitely()) {
      rows.add(row);
    }
    return new Patients(
        ResultRows.patients(rows), rows.isEmpty() ? 0 : rows.get(0).getLong("patients"));
  }

  /**
   * One page of a search as data sets (the C-FIND SCP); blocking, so called on a virtual or worker
   * thread. The same SQL and matching as {@link #search}.
   *
   * @throws QidoException a matching value that cannot be matched (at SQL building time)
   */
  public Page page(QidoRequest request, String tenant, String retrieveBase) {
    return page(request, TenantScope.of(tenant), retrieveBase);
  }

  /** {@link #page(QidoRequest, String, String)} for a caller that may see more tenants. */
  public Page page(QidoRequest request, TenantScope scope, String retrieveBase) {
    ReturnAttributes returns = ReturnAttributes.of(request);
    Sql sql =
        QidoQuery.build(
            request, scope, returns.needsInstanceAttributes(), returns.otherPatientIds());
    List<Match> page = new ArrayList<>();
    boolean more = false;
    for (Row row :
        pool.preparedQuery(sql.text())
            .execute(Tuple.from(new ArrayList<>(sql.params())))
            .await()
            .indefinitely()) {
      if (page.size() == request.limit()) {
        more = true;
        break;
      }
      page.add(
          new Match(
              ResultRows.dataset(row, request.level(), returns, retrieveBase),
              row.getLong("patient_pk"),
              row.getString(StudyTable.STUDY_UID),
              ResultRows.patients(List.of(row)).stream().findFirst().orElse(null)));
    }
    LOG.debugf("%s C-FIND page: %d match(es)%s", request.level(), page.size(), more ? "+" : "");
    return new Page(page, more);
  }
}
