package org.strata.bench.chaos;

import static org.strata.bench.Part10Writer.str;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import org.strata.bench.Part10Writer;

/**
 * The kill suite's instances: small CT images (64 x 64, 16 bits) with fresh UIDs, ten to a study,
 * each sender its own studies, written by hand (explicit VR little endian) like the benchmarks'.
 */
public final class ChaosInstances {
  static final String CT = "1.2.840.10008.5.1.4.1.1.2";
  private static final int INSTANCES_PER_STUDY = 10;
  private static final int MEDIA_STORAGE_SOP_INSTANCE_UID = 0x00020003;
  private static final int TRANSFER_SYNTAX_UID = 0x00020010;

  /** One generated instance; {@code datasetSha256} is the digest of everything after group 0002. */
  record Instance(String study, String series, String sop, byte[] file, String datasetSha256) {
    int datasetOffset() {
      return ChaosInstances.datasetOffset(file);
    }
  }

  private final String root;
  private final Random random;
  private final int perStudy;
  private int count;

  /**
   * Instances of one sender: {@code run} makes the UIDs unique per run, {@code sender} per sender.
   */
  ChaosInstances(long run, int sender) {
    this(run, sender, INSTANCES_PER_STUDY);
  }

  /** The same with {@code perStudy} instances to a study (the routing kill suite's one study). */
  ChaosInstances(long run, int sender, int perStudy) {
    this.root = "2.25." + Long.toUnsignedString(run) + "." + sender;
    this.random = new Random(run * 31 + sender);
    this.perStudy = perStudy;
  }

  Instance next() {
    int n = count++;
    String study = root + "." + (n / perStudy + 1);
    String series = study + ".1";
    String sop = series + "." + (n % perStudy + 1);
    byte[] pixels = new byte[64 * 64 * 2];
    random.nextBytes(pixels);
    ByteArrayOutputStream ds = new ByteArrayOutputStream(pixels.length + 1024);
    str(ds, 0x00080016, "UI", CT);
    str(ds, 0x00080018, "UI", sop);
    str(ds, 0x00080020, "DA", "20261207");
    str(ds, 0x00080030, "TM", "064500");
    str(ds, 0x00080050, "SH", "CHAOS" + (n / perStudy + 1));
    str(ds, 0x00080060, "CS", "CT");
    str(ds, 0x00100010, "PN", "Chaos^Test");
    str(ds, 0x00100020, "LO", "CHAOS-" + root.substring(root.lastIndexOf('.') + 1));
    str(ds, 0x0020000D, "UI", study);
    str(ds, 0x0020000E, "UI", series);
    str(ds, 0x00200011, "IS", "1");
    str(ds, 0x00200013, "IS", Integer.toString(n % perStudy + 1));
    Part10Writer.monochrome16(ds, 64, 64, pixels);
    byte[] file = Part10Writer.file(CT, sop, ds);
    return new Instance(study, series, sop, file, datasetSha256(file));
  }

  /** SHA-256 (hex) of a Part 10 file's data set: what the archive must give back unchanged. */
  static String datasetSha256(byte[] file) {
    int offset = datasetOffset(file);
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(file, offset, file.length - offset);
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Where the data set of a Part 10 file starts: after the preamble, "DICM" and the group 0002
   * elements (explicit VR little endian), whoever wrote the file meta information.
   */
  public static int datasetOffset(byte[] file) {
    return walkFileMeta(file, -1)[0];
  }

  /**
   * The Media Storage SOP Instance UID of a Part 10 file's meta information (whoever wrote it, e.g.
   * a destination's {@code storescp}), or null.
   */
  public static String mediaStorageSopInstanceUid(byte[] file) {
    return fileMetaText(file, MEDIA_STORAGE_SOP_INSTANCE_UID);
  }

  /** The Transfer Syntax UID of a Part 10 file's meta information, or null. */
  public static String transferSyntaxUid(byte[] file) {
    return fileMetaText(file, TRANSFER_SYNTAX_UID);
  }

  /** Whether an explicit VR element of this VR has the 12-byte header (a 32-bit length). */
  public static boolean hasLongLength(String vr) {
    return switch (vr) {
      case "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV" -> true;
      default -> false;
    };
  }

  private static String fileMetaText(byte[] file, int tag) {
    int[] found = walkFileMeta(file, tag);
    if (found[1] < 0) {
      return null;
    }
    return new String(file, found[1], found[2], StandardCharsets.US_ASCII).replace("\0", "").trim();
  }

  /**
   * Walks the group 0002 elements: {end of the group, value offset of {@code tag} or -1, its
   * length}.
   */
  private static int[] walkFileMeta(byte[] file, int tag) {
    int[] out = {0, -1, 0};
    if (file.length < 132 || !"DICM".equals(new String(file, 128, 4, StandardCharsets.US_ASCII))) {
      throw new IllegalArgumentException("not a Part 10 file");
    }
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    int pos = 132;
    while (pos + 8 <= file.length && b.getShort(pos) == 0x0002) {
      String vr = new String(file, pos + 4, 2, StandardCharsets.US_ASCII);
      boolean longForm = hasLongLength(vr);
      int header = longForm ? 12 : 8;
      int length = longForm ? b.getInt(pos + 8) : b.getShort(pos + 6) & 0xFFFF;
      if (((b.getShort(pos) & 0xFFFF) << 16 | (b.getShort(pos + 2) & 0xFFFF)) == tag) {
        out[1] = pos + header;
        out[2] = length;
      }
      pos += header + length;
    }
    out[0] = pos;
    return out;
  }
}
