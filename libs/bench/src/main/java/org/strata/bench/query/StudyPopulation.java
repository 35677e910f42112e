package org.strata.bench.query;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Locale;
import java.util.SplittableRandom;
import org.strata.indexschema.PersonNames;

/**
 * The synthetic hospital both systems are filled with: study {@code s} always has the same patient,
 * name, dates, accession number, modality and series, whichever system it is loaded into, so the
 * same query values select comparable result sets in Strata and in Orthanc.
 *
 * <p>Distributions: two studies per patient; names from {@link #FAMILIES} x {@link #GIVEN}
 * (accents, a few Japanese names with an ideographic group); study dates uniform over 2015-2024
 * (ten years), times 07:00-19:00; modalities weighted as in a general hospital; 10 instances per
 * study over 1-3 series.
 */
final class StudyPopulation {
  static final int INSTANCES_PER_STUDY = 10;
  static final LocalDate FIRST_DAY = LocalDate.of(2015, 1, 1);
  static final int DAYS = 3653;
  static final String ISSUER = "STRATA-LOCAL";
  static final String UID_ROOT = "2.25.271828182845904523536028747135";

  // Family names: {display, ideographic or null}. Uniform choice; accents and non-Latin scripts on
  // purpose (matching is accent-insensitive in Strata).
  static final String[][] FAMILIES = {
    {"Müller", null},
    {"García", null},
    {"Martin", null},
    {"Martínez", null},
    {"Schmidt", null},
    {"Schneider", null},
    {"Fischer", null},
    {"Weber", null},
    {"Dupont", null},
    {"Durand", null},
    {"Lefèvre", null},
    {"Moreau", null},
    {"Rossi", null},
    {"Russo", null},
    {"Bianchi", null},
    {"Smith", null},
    {"Johnson", null},
    {"Brown", null},
    {"Williams", null},
    {"Jones", null},
    {"Nowak", null},
    {"Kowalski", null},
    {"Wiśniewski", null},
    {"Dvořák", null},
    {"Novák", null},
    {"Kovačević", null},
    {"Horváth", null},
    {"Nagy", null},
    {"Szabó", null},
    {"Öztürk", null},
    {"Yılmaz", null},
    {"Şahin", null},
    {"Andersson", null},
    {"Johansson", null},
    {"Nielsen", null},
    {"Jørgensen", null},
    {"Ólafsson", null},
    {"González", null},
    {"Rodríguez", null},
    {"Fernández", null},
    {"López", null},
    {"Gonçalves", null},
    {"Silva", null},
    {"Santos", null},
    {"Oliveira", null},
    {"Costa", null},
    {"Papadopoulos", null},
    {"Ivanov", null},
    {"Petrov", null},
    {"O'Brien", null},
    {"Murphy", null},
    {"Kelly", null},
    {"Nguyen", null},
    {"Tran", null},
    {"Kim", null},
    {"Park", null},
    {"Wang", null},
    {"Zhang", null},
    {"Yamada", "山田"},
    {"Tanaka", "田中"},
    {"Suzuki", "鈴木"},
    {"Bergström", null},
  };
  static final String[] GIVEN = {
    "Hans",
    "Anna",
    "José",
    "María",
    "François",
    "Zoë",
    "Søren",
    "Jörg",
    "Łukasz",
    "Małgorzata",
    "Ingrid",
    "Björn",
    "Chloé",
    "Renée",
    "Jürgen",
    "Ömer",
    "Ayşe",
    "Đorđe",
    "Ana",
    "Luís",
    "João",
    "Marie",
    "Pierre",
    "Giulia",
    "Marco",
    "Sofia",
    "James",
    "Mary",
    "Emma",
    "Olivia",
    "Noah",
    "Liam",
    "Mohammed",
    "Fatima",
    "Wei",
    "Mei",
    "Elif",
    "Nikolaos",
    "Irina",
    "Aoife",
  };
  static final String[][] JAPANESE_GIVEN = {{"Tarou", "太郎"}, {"Hanako", "花子"}, {"Ken", "健"}};

  // Modality, weight (percent), SOP class, body part.
  private static final String[][] MODALITIES = {
    {"CT", "30", "1.2.840.10008.5.1.4.1.1.2", "CHEST"},
    {"MR", "20", "1.2.840.10008.5.1.4.1.1.4", "HEAD"},
    {"CR", "20", "1.2.840.10008.5.1.4.1.1.1", "CHEST"},
    {"US", "10", "1.2.840.10008.5.1.4.1.1.6.1", "ABDOMEN"},
    {"DX", "8", "1.2.840.10008.5.1.4.1.1.1.1", "HAND"},
    {"MG", "6", "1.2.840.10008.5.1.4.1.1.1.2", "BREAST"},
    {"PT", "3", "1.2.840.10008.5.1.4.1.1.128", "WHOLEBODY"},
    {"NM", "3", "1.2.840.10008.5.1.4.1.1.20", "HEART"},
  };

  private StudyPopulation() {}

  /** Everything the index and a QIDO answer know about one study. */
  record Study(
      int index,
      String patientId,
      String patientName,
      String patientNameNorm,
      LocalDate birthDate,
      String sex,
      String studyUid,
      LocalDate date,
      LocalTime time,
      String accession,
      String modality,
      String sopClass,
      String bodyPart,
      int series,
      String description,
      String referringPhysician) {

    String seriesUid(int k) {
      return studyUid + "." + k;
    }

    /** Instances of series {@code k} (1-based): the study's 10 spread over its series. */
    int instancesInSeries(int k) {
      return INSTANCES_PER_STUDY / series + (k <= INSTANCES_PER_STUDY % series ? 1 : 0);
    }

    String sopUid(int k, int instance) {
      return seriesUid(k) + "." + instance;
    }
  }

  static Study study(int s) {
    int patient = s / 2;
    SplittableRandom p = new SplittableRandom(0x5EEDL * 31 + patient);
    String[] family = FAMILIES[p.nextInt(FAMILIES.length)];
    String name;
    if (family[1] != null) {
      String[] given = JAPANESE_GIVEN[p.nextInt(JAPANESE_GIVEN.length)];
      name = family[0] + "^" + given[0] + "=" + family[1] + "^" + given[1];
    } else {
      name = family[0] + "^" + GIVEN[p.nextInt(GIVEN.length)];
    }
    LocalDate birth = LocalDate.of(1930, 1, 1).plusDays(p.nextInt(33_000));
    String sex = p.nextBoolean() ? "F" : "M";

    SplittableRandom r = new SplittableRandom(0xC0FFEEL * 31 + s);
    LocalDate date = FIRST_DAY.plusDays(r.nextInt(DAYS));
    LocalTime time = LocalTime.of(7, 0).plusSeconds(r.nextInt(12 * 3600));
    int w = r.nextInt(100);
    String[] modality = MODALITIES[0];
    for (String[] m : MODALITIES) {
      w -= Integer.parseInt(m[1]);
      if (w < 0) {
        modality = m;
        break;
      }
    }
    int series = 1 + r.nextInt(3);
    return new Study(
        s,
        String.format("MRN%07d", patient),
        name,
        normalize(name),
        birth,
        sex,
        UID_ROOT + "." + s,
        date,
        time,
        String.format("A%d%07d", date.getYear(), s),
        modality[0],
        modality[2],
        modality[3],
        series,
        modality[0] + " " + modality[3].toLowerCase(Locale.ROOT),
        "Referrer^Dr" + (s % 50));
  }

  /** The index's matching form of a name: the index schema's own normalisation. */
  static String normalize(String value) {
    return PersonNames.normalize(value);
  }
}
