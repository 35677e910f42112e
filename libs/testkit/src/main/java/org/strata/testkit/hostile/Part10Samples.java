package org.strata.testkit.hostile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Real Part 10 files to mutate: Debian's python3-pydicom samples up to 512 KiB, with what their
 * file meta group says (read here by hand, not by the toolkit under test).
 */
public final class Part10Samples {
  public static final Path PYDICOM_TEST_FILES =
      Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

  private Part10Samples() {}

  /**
   * One file: its bytes and, when it has a readable file meta group, its SOP Class, SOP Instance,
   * Transfer Syntax and where its data set starts (else those are null and 0).
   */
  public record Sample(
      String name,
      byte[] bytes,
      String sopClass,
      String sopInstance,
      String transferSyntax,
      int datasetOffset) {
    public boolean hasMeta() {
      return sopClass != null && sopInstance != null && transferSyntax != null;
    }

    /**
     * Whether {@link #withNewSopInstance} can give this sample a new identity: its file meta names
     * a SOP Instance UID that the data set holds too (at least two occurrences). Samples without
     * file meta, or whose data set holds another UID than the meta, would be stored under their own
     * SOP Instance UID and collide with other tests' copies of the same pydicom file in the same
     * tenant (StowTest saw two events for rtdose's UID), so the suite leaves them out.
     */
    public boolean renamable() {
      if (sopInstance == null || sopInstance.length() < 8 || sopInstance.length() > 64) {
        return false;
      }
      byte[] uid = sopInstance.getBytes(StandardCharsets.US_ASCII);
      int found = 0;
      for (int i = 0; i + uid.length <= bytes.length && found < 2; i++) {
        if (java.util.Arrays.equals(bytes, i, i + uid.length, uid, 0, uid.length)) {
          found++;
          i += uid.length - 1;
        }
      }
      return found >= 2;
    }

    public byte[] dataset() {
      return java.util.Arrays.copyOfRange(bytes, datasetOffset, bytes.length);
    }

    /**
     * The same file under another SOP Instance UID of the same length (every occurrence of the old
     * one replaced, so no length changes), drawn from {@code random}: each mutated input is a new
     * instance rather than a conflicting copy of one already stored, so more of them reach the
     * store. Only for {@link #renamable()} samples.
     */
    public Sample withNewSopInstance(java.util.SplittableRandom random) {
      if (!renamable()) {
        throw new IllegalStateException(name + " has no SOP Instance UID to replace");
      }
      StringBuilder uid = new StringBuilder("2.25.").append(1 + random.nextInt(9));
      while (uid.length() < sopInstance.length()) {
        uid.append(random.nextInt(10));
      }
      byte[] from = sopInstance.getBytes(StandardCharsets.US_ASCII);
      byte[] to = uid.toString().getBytes(StandardCharsets.US_ASCII);
      byte[] out = bytes.clone();
      for (int i = 0; i + from.length <= out.length; i++) {
        if (java.util.Arrays.equals(out, i, i + from.length, from, 0, from.length)) {
          System.arraycopy(to, 0, out, i, to.length);
          i += from.length - 1;
        }
      }
      return new Sample(name, out, sopClass, uid.toString(), transferSyntax, datasetOffset);
    }
  }

  public static boolean present() {
    return Files.isDirectory(PYDICOM_TEST_FILES);
  }

  /** Every {@code .dcm} sample of pydicom's test_files up to 512 KiB, in name order. */
  public static List<Sample> pydicom() {
    List<Sample> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(PYDICOM_TEST_FILES)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".dcm")).sorted().toList()) {
        long size = Files.size(p);
        if (size >= 16 && size <= 512 * 1024) {
          out.add(read(p.getFileName().toString(), Files.readAllBytes(p)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Reads the file meta group (explicit VR little endian, group 0002) of a Part 10 file. */
  public static Sample read(String name, byte[] b) {
    if (b.length < 132 || b[128] != 'D' || b[129] != 'I' || b[130] != 'C' || b[131] != 'M') {
      return new Sample(name, b, null, null, null, 0);
    }
    String sopClass = null;
    String sopInstance = null;
    String ts = null;
    int pos = 132;
    while (pos + 8 <= b.length && u16(b, pos) == 0x0002) {
      int element = u16(b, pos + 2);
      String vr = new String(b, pos + 4, 2, StandardCharsets.US_ASCII);
      long length;
      int header;
      if (Pdus.LONG_VRS.contains(vr)) {
        if (pos + 12 > b.length) {
          break;
        }
        length = u32(b, pos + 8);
        header = 12;
      } else {
        length = u16(b, pos + 6);
        header = 8;
      }
      if (pos + header + length > b.length) {
        break;
      }
      String value =
          new String(b, pos + header, (int) length, StandardCharsets.US_ASCII)
              .replace("\0", "")
              .trim();
      switch (element) {
        case 0x0002 -> sopClass = value;
        case 0x0003 -> sopInstance = value;
        case 0x0010 -> ts = value;
        default -> {}
      }
      pos += header + (int) length;
    }
    return new Sample(name, b, sopClass, sopInstance, ts, pos);
  }

  static int u16(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
  }

  static long u32(byte[] b, int at) {
    return (u16(b, at) | (long) u16(b, at + 2) << 16) & 0xffffffffL;
  }
}
