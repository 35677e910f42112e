package org.strata.dicom.deid;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.strata.dicom.Attributes;
import org.strata.dicom.Tag;
import org.strata.dicom.Tags;
import org.strata.dicom.VR;
import org.strata.dicom.io.DicomInputStream;
import org.strata.dicom.io.DicomOutputStream;
import org.strata.dicom.io.ElementHeader;
import org.strata.dicom.io.ReadOptions;
import org.strata.dicom.io.TransferSyntax;
import org.strata.dicom.io.WriteOptions;

/**
 * Copies a Part 10 object de-identified, in its own transfer syntax, streaming the pixel data: the
 * header (everything before (7FE0,0010)) is read within the reader's limits and de-identified, the
 * pixel data value (native, or encapsulated fragment by fragment) is copied through a 64 KiB
 * buffer, and the elements after it are de-identified one by one (sequences there, such as digital
 * signatures, are dropped with what follows, as the Transcoder does). The file meta information is
 * made new from the de-identified data set: Media Storage SOP Instance UID follows the new SOP
 * Instance UID, and nothing of the source's group 0002 (source AE title, private information) is
 * kept.
 */
public final class DeidentifyingCopy {
  private static final int CHUNK = 64 * 1024;

  /** What was written: the UIDs the receiver sees. */
  public record Result(String sopClassUid, String sopInstanceUid, String transferSyntaxUid) {}

  private DeidentifyingCopy() {}

  /** Reads a Part 10 object from {@code in} and writes it de-identified to {@code out}. */
  public static Result copy(InputStream in, OutputStream out, Deidentifier deid)
      throws IOException {
    DicomInputStream dis =
        new DicomInputStream(
            new BufferedInputStream(in, CHUNK),
            ReadOptions.DEFAULTS.withStopBeforeTag(Tag.PixelData));
    dis.readFileMetaInformation();
    TransferSyntax ts = dis.transferSyntax();
    Attributes ds = dis.readDataset();
    deid.deidentify(ds);
    DicomOutputStream dos =
        new DicomOutputStream(out, ts.uid(), WriteOptions.DEFAULTS.withRemoveGroupLengths(true));
    dos.writeFileMetaInformation(DicomOutputStream.fileMetaInformation(ds, null, ts.uid()));
    dos.writeDataset(ds);
    if (dis.stoppedBeforeTag()) {
      ElementHeader h;
      while ((h = dis.readHeader()) != null) {
        if (h.tag() == Tag.PixelData) {
          copyPixelData(dis, dos, ts, h);
        } else if (!copyTrailing(dis, dos, ts, h, deid)) {
          break;
        }
      }
    }
    dos.finish();
    return new Result(ds.getString(Tag.SOPClassUID), ds.getString(Tag.SOPInstanceUID), ts.uid());
  }

  private static void copyPixelData(
      DicomInputStream dis, DicomOutputStream dos, TransferSyntax ts, ElementHeader h)
      throws IOException {
    if (!h.undefinedLength()) {
      dos.writeHeader(Tag.PixelData, h.vr(), h.length());
      dos.copyValue(dis.valueStream(h.length()), h.length(), h.vr(), ts.bigEndian());
      return;
    }
    dos.writeHeader(Tag.PixelData, VR.OB, -1); // undefined length: fragments follow
    ElementHeader item;
    while ((item = dis.readHeader()) != null && item.tag() == Tags.ITEM) {
      dos.writeItemHeader(item.length());
      dos.copyValue(dis.valueStream(item.length()), item.length(), VR.OB, ts.bigEndian());
    }
    dos.writeSequenceDelimiter();
  }

  /**
   * One top-level element after the pixel data, through the profile like any other; false when the
   * rest must be dropped (an element of undefined length: a sequence we do not stream).
   */
  private static boolean copyTrailing(
      DicomInputStream dis,
      DicomOutputStream dos,
      TransferSyntax ts,
      ElementHeader h,
      Deidentifier deid)
      throws IOException {
    if (h.undefinedLength()) {
      return false;
    }
    byte[] value = dis.readValue(h.length()); // within the reader's value limit
    if (h.vr() == VR.SQ || Tags.group(h.tag()) == 0xFFFE) {
      return true;
    }
    Attributes one = new Attributes(ts.bigEndian(), null);
    one.set(h.tag(), h.vr(), value);
    deid.applyProfile(one);
    if (one.contains(h.tag())) {
      dos.writeElements(one, h.tag(), h.tag(), true);
    }
    return true;
  }
}
