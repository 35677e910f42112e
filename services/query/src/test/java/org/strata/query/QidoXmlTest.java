package org.strata.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.strata.query.QidoTestData.S2;
import static org.strata.query.QidoTestData.S4;
import static org.strata.query.QidoTestData.S7;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.strata.testkit.PlatformTestResource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * QIDO-RS in {@code multipart/related; type="application/dicom+xml"}: one PS3.19 Native DICOM Model
 * document per result, parsed here with the JDK's namespace-aware DOM parser. Values from the known
 * data set ({@link QidoTestData}), written down.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "postgres"))
class QidoXmlTest extends QidoTestSupport {
  static final String XML = "multipart/related; type=\"application/dicom+xml\"";
  static final String NS = "http://dicom.nema.org/PS3.19/models/NativeDICOM";

  @Test
  void oneNativeDicomModelDocumentPerStudy() throws Exception {
    List<Document> docs =
        xml(
            RestAssured.given()
                .accept(XML)
                .queryParam("PatientName", "Doe")
                .get("/dicomweb/studies")
                .then()
                .extract(),
            2);
    Document s2 = docs.get(0);
    assertEquals("NativeDicomModel", s2.getDocumentElement().getLocalName());
    assertEquals(NS, s2.getDocumentElement().getNamespaceURI());
    Element uid = attribute(s2, "0020000D");
    assertEquals("UI", uid.getAttribute("vr"));
    assertEquals("StudyInstanceUID", uid.getAttribute("keyword"));
    assertEquals(List.of(S2), values(uid));
    Element modalities = attribute(s2, "00080061");
    assertEquals(List.of("MR", "SR"), values(modalities));
    assertEquals(
        "2",
        ((Element) modalities.getElementsByTagNameNS(NS, "Value").item(1)).getAttribute("number"));
    assertEquals(List.of("4"), values(attribute(s2, "00201208")));
    assertEquals(List.of("20250220"), values(attribute(s2, "00080020")));
    Element name = attribute(s2, "00100010");
    assertEquals("PN", name.getAttribute("vr"));
    Element pn = (Element) name.getElementsByTagNameNS(NS, "PersonName").item(0);
    assertEquals("1", pn.getAttribute("number"));
    Element alphabetic = (Element) pn.getElementsByTagNameNS(NS, "Alphabetic").item(0);
    assertEquals("Doe", text(alphabetic, "FamilyName"));
    assertEquals("Jane", text(alphabetic, "GivenName"));
    assertEquals(List.of(S2), values(attribute(s2, "0020000D")));
    String url = values(attribute(s2, "00081190")).get(0);
    assertTrue(url.endsWith("/dicomweb/studies/" + S2), url);
  }

  @Test
  void ideographicNamesEmptyValuesAndEscaping() throws Exception {
    Document s7 =
        xml(
                RestAssured.given()
                    .accept(XML)
                    .queryParam("StudyInstanceUID", S7)
                    .get("/dicomweb/studies")
                    .then()
                    .extract(),
                1)
            .get(0);
    Element pn =
        (Element) attribute(s7, "00100010").getElementsByTagNameNS(NS, "PersonName").item(0);
    Element alphabetic = (Element) pn.getElementsByTagNameNS(NS, "Alphabetic").item(0);
    Element ideographic = (Element) pn.getElementsByTagNameNS(NS, "Ideographic").item(0);
    assertEquals("Yamada", text(alphabetic, "FamilyName"));
    assertEquals("Tarou", text(alphabetic, "GivenName"));
    assertEquals("山田", text(ideographic, "FamilyName"));
    assertEquals("太郎", text(ideographic, "GivenName"));
    // S7 has no accession number: the attribute is there, without a value.
    Element accession = attribute(s7, "00080050");
    assertEquals("SH", accession.getAttribute("vr"));
    assertEquals(0, accession.getChildNodes().getLength());
    // S4's accession number "ACC%1004" and the series' attributes at the series level.
    Document s4 =
        xml(
                RestAssured.given()
                    .accept(XML)
                    .queryParam("StudyInstanceUID", S4)
                    .get("/dicomweb/studies")
                    .then()
                    .extract(),
                1)
            .get(0);
    assertEquals(List.of("ACC%1004"), values(attribute(s4, "00080050")));
  }

  @Test
  void noMatchIs204AndErrorsStayJson() {
    assertEquals(
        204,
        RestAssured.given()
            .accept(XML)
            .queryParam("PatientID", "NOBODY")
            .get("/dicomweb/studies")
            .statusCode());
    ExtractableResponse<Response> bad =
        RestAssured.given()
            .accept(XML)
            .queryParam("StudyDate", "2025")
            .get("/dicomweb/studies")
            .then()
            .extract();
    assertEquals(400, bad.statusCode());
    assertTrue(bad.contentType().startsWith("application/json"), bad.contentType());
  }

  /** The parts of a 200 answer, each parsed as XML; {@code count} of them. */
  private static List<Document> xml(ExtractableResponse<Response> r, int count) throws Exception {
    assertEquals(200, r.statusCode(), r.asString());
    String type = r.contentType();
    assertTrue(type.startsWith(XML), type);
    Matcher m = Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(type);
    assertTrue(m.find(), type);
    String body = new String(r.asByteArray(), StandardCharsets.UTF_8);
    String delimiter = "--" + m.group(1);
    assertTrue(body.endsWith(delimiter + "--\r\n"), "closing delimiter");
    String[] parts =
        body.substring(0, body.length() - (delimiter + "--\r\n").length())
            .split(Pattern.quote(delimiter + "\r\n"));
    List<Document> docs = new ArrayList<>();
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    for (String part : parts) {
      if (part.isEmpty()) {
        continue;
      }
      int headersEnd = part.indexOf("\r\n\r\n");
      assertEquals("Content-Type: application/dicom+xml", part.substring(0, headersEnd));
      String doc =
          part.substring(headersEnd + 4, part.length() - 2); // CRLF before the next delimiter
      docs.add(
          factory
              .newDocumentBuilder()
              .parse(new ByteArrayInputStream(doc.getBytes(StandardCharsets.UTF_8))));
    }
    assertEquals(count, docs.size());
    return docs;
  }

  private static Element attribute(Document doc, String tag) {
    NodeList list = doc.getDocumentElement().getChildNodes();
    for (int i = 0; i < list.getLength(); i++) {
      if (list.item(i) instanceof Element e && tag.equals(e.getAttribute("tag"))) {
        assertEquals("DicomAttribute", e.getLocalName());
        return e;
      }
    }
    throw new AssertionError("no attribute " + tag);
  }

  private static List<String> values(Element attribute) {
    List<String> values = new ArrayList<>();
    NodeList list = attribute.getElementsByTagNameNS(NS, "Value");
    for (int i = 0; i < list.getLength(); i++) {
      values.add(list.item(i).getTextContent());
    }
    return values;
  }

  private static String text(Element parent, String child) {
    return parent.getElementsByTagNameNS(NS, child).item(0).getTextContent();
  }
}
