package org.strata.dicom.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.strata.dicom.Attributes;
import org.strata.dicom.DicomParseException;
import org.strata.dicom.io.DicomInputStream;
import org.strata.dicom.io.DicomOutputStream;
import org.strata.dicom.io.ReadOptions;
import org.strata.dicom.io.WriteOptions;

/**
 * Query/retrieve identifiers (and other small DIMSE data sets) to and from the wire, in the
 * presentation context's transfer syntax. Identifiers are read into memory, up to {@link
 * #MAX_LENGTH} bytes.
 */
public final class Identifier {
  /** Largest identifier we read (real ones are a few hundred bytes). */
  public static final int MAX_LENGTH = 4 << 20;

  private Identifier() {}

  /**
   * Reads an identifier encoded in {@code transferSyntax} to the end of the stream.
   *
   * @throws DimseException C000 if it is too long or cannot be parsed
   */
  public static Attributes read(InputStream in, String transferSyntax)
      throws IOException, DimseException {
    byte[] data = in.readNBytes(MAX_LENGTH + 1);
    if (data.length > MAX_LENGTH) {
      throw new DimseException(Status.UNABLE_TO_PROCESS, "identifier too long");
    }
    // The reader guesses the encoding of a bare data set; a file meta group with only the
    // transfer syntax UID tells it instead (group 0002 is always explicit VR little endian).
    byte[] ts = transferSyntax.getBytes(StandardCharsets.US_ASCII);
    int len = ts.length + (ts.length & 1);
    ByteArrayOutputStream b = new ByteArrayOutputStream(8 + len + data.length);
    b.writeBytes(new byte[] {0x02, 0x00, 0x10, 0x00, 'U', 'I', (byte) len, (byte) (len >>> 8)});
    b.writeBytes(ts);
    if (len != ts.length) {
      b.write(0);
    }
    b.writeBytes(data);
    try (DicomInputStream dis = DicomInputStream.of(b.toByteArray(), ReadOptions.DEFAULTS)) {
      return dis.readDataset();
    } catch (DicomParseException e) {
      throw new DimseException(Status.UNABLE_TO_PROCESS, "identifier cannot be parsed", e);
    }
  }

  /** A writer of {@code identifier} in {@code transferSyntax}, for {@link Association}. */
  public static Association.DataWriter writer(Attributes identifier, String transferSyntax) {
    return out -> {
      byte[] bytes = DicomOutputStream.encode(identifier, transferSyntax, WriteOptions.DEFAULTS);
      out.write(bytes);
      if ((bytes.length & 1) != 0) {
        out.write(0); // only a deflated stream can be odd; PS3.5 A.5 pads it with one NUL
      }
    };
  }
}
