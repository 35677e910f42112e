package org.strata.query.wado;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.strata.dicom.io.FrameIndex;
import org.strata.dicom.io.TransferSyntax;

/**
 * The frame index of native (uncompressed) pixel data derived from an instance's metadata, the
 * DICOM JSON that ingest made for it (ADR 0073): Rows, Columns, Samples per Pixel, Bits Allocated,
 * Number of Frames and the Pixel Data value's byte range, which its BulkDataURI names ({@code
 * .../bulkdata/{offset}-{length}}, {@link BulkData}). Ingest writes no frame index object for such
 * pixel data; this is the same arithmetic ({@link FrameIndex#ofNative}).
 *
 * <p>Only the top level of the JSON is read, with a streaming parser that skips every other
 * attribute's value: no data set is built.
 */
final class NativeFrameIndex {
  private static final JsonFactory JSON = new JsonFactory();

  private NativeFrameIndex() {}

  /** Whether frames of this transfer syntax are native pixel data at offsets in the object. */
  static boolean nativePixelData(String transferSyntaxUid) {
    TransferSyntax ts = TransferSyntax.of(transferSyntaxUid);
    return !ts.encapsulated() && !ts.deflated();
  }

  /**
   * The frame index the metadata describes, or empty when it does not describe one: an attribute
   * missing, Pixel Data inline (a small value: no byte range in the object) or absent, or frames
   * that do not fit in the value (then the object itself is asked, as before).
   */
  static Optional<FrameIndex> fromMetadata(InputStream json) throws IOException {
    int rows = 0;
    int columns = 0;
    int samples = 1;
    int bits = 0;
    int frames = 1;
    BulkData.Range pixels = null;
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String tag = p.currentName();
        p.nextToken();
        switch (tag) {
          case "00280010" -> rows = firstInt(p);
          case "00280011" -> columns = firstInt(p);
          case "00280002" -> samples = firstInt(p);
          case "00280100" -> bits = firstInt(p);
          case "00280008" -> frames = firstInt(p);
          case "7FE00010" -> pixels = bulkDataRange(p);
          case "7FE00008" -> {
            pixels = bulkDataRange(p);
            bits = 32; // Float Pixel Data: 32 bits whatever Bits Allocated says
          }
          case "7FE00009" -> {
            pixels = bulkDataRange(p);
            bits = 64;
          }
          default -> p.skipChildren();
        }
      }
    }
    if (pixels == null || rows <= 0 || columns <= 0 || samples <= 0 || bits <= 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          FrameIndex.ofNative(
              pixels.offset(), pixels.length(), rows, columns, samples, bits, Math.max(1, frames)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * The first value of an attribute ({@code {"vr":"US","Value":[512]}}; IS may come as a string); 0
   * when there is none or it is not an integer. The parser ends on the attribute's END_OBJECT.
   */
  private static int firstInt(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return 0;
    }
    int value = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      if (field.equals("Value") && t == JsonToken.START_ARRAY) {
        JsonToken first = p.nextToken();
        if (first == JsonToken.VALUE_NUMBER_INT) {
          value = p.getNumberType() == JsonParser.NumberType.INT ? p.getIntValue() : 0;
        } else if (first == JsonToken.VALUE_STRING) {
          value = parseInt(p.getText().strip());
        }
        if (first != JsonToken.END_ARRAY) {
          while (p.nextToken() != JsonToken.END_ARRAY) {
            p.skipChildren();
          }
        }
      } else {
        p.skipChildren();
      }
    }
    return value;
  }

  /** The byte range of a BulkDataURI of Strata's form; null for inline or any other value. */
  private static BulkData.Range bulkDataRange(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return null;
    }
    BulkData.Range range = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      if (field.equals("BulkDataURI") && t == JsonToken.VALUE_STRING) {
        range = rangeOf(p.getText());
      } else {
        p.skipChildren();
      }
    }
    return range;
  }

  private static BulkData.Range rangeOf(String uri) {
    int at = uri.lastIndexOf("/bulkdata/");
    if (at < 0) {
      return null;
    }
    try {
      return BulkData.parse(uri.substring(at + "/bulkdata/".length()));
    } catch (WadoException e) {
      return null; // not Strata's {offset}-{length}
    }
  }

  private static int parseInt(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
