package org.strata.testkit.hostile;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Mutations of a Part 10 file or of a bare data set: bit flips, truncations, lying length fields,
 * spliced chunks and sequence bombs (sequences nested tens of thousands deep, or with a hundred
 * thousand items), each described so a failure report says what was sent.
 */
public final class Part10Mutator {
  private static final long[] INTERESTING = {
    0, 1, 2, 3, 7, 0xFF, 0xFFFF, 0x7FFFFFFF, 0x80000000L, 0xFFFFFFF0L, 0xFFFFFFFEL, 0xFFFFFFFFL
  };
  private static final String IMPLICIT_LE = "1.2.840.10008.1.2";
  private static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";

  private Part10Mutator() {}

  /** Mutated bytes and what was done to them. */
  public record Mutation(byte[] bytes, String description) {}

  /**
   * Mutates {@code data} at or after {@code from} (the start of the data set: mutations before it
   * only for bit flips and truncations of a whole file); {@code transferSyntax} encodes a bomb.
   */
  public static Mutation mutate(
      byte[] data, int from, String transferSyntax, SplittableRandom random) {
    boolean bombable = IMPLICIT_LE.equals(transferSyntax) || EXPLICIT_LE.equals(transferSyntax);
    int kind = random.nextInt(bombable ? 6 : 4);
    byte[] d = data.clone();
    switch (kind) {
      case 0 -> {
        int flips = 1 + random.nextInt(8);
        StringBuilder at = new StringBuilder();
        for (int k = 0; k < flips; k++) {
          int range = random.nextBoolean() ? Math.min(d.length, from + 1024) : d.length;
          int pos = random.nextInt(range);
          d[pos] ^= (byte) (1 << random.nextInt(8));
          at.append(pos).append(' ');
        }
        return new Mutation(d, "bit flips at " + at.toString().trim());
      }
      case 1 -> {
        int length = from + random.nextInt(Math.max(1, d.length - from));
        return new Mutation(Arrays.copyOf(d, length), "truncated to " + length + " bytes");
      }
      case 2 -> {
        int field = lengthField(d, from, random);
        if (field < 0) {
          return new Mutation(d, "unchanged (no length field found)");
        }
        long value =
            random.nextBoolean()
                ? INTERESTING[random.nextInt(INTERESTING.length)]
                : random.nextLong(1L << 32);
        boolean wide = field + 4 <= d.length && random.nextBoolean();
        d[field] = (byte) value;
        d[field + 1] = (byte) (value >>> 8);
        if (wide) {
          d[field + 2] = (byte) (value >>> 16);
          d[field + 3] = (byte) (value >>> 24);
        }
        return new Mutation(d, "length at " + field + " set to " + (wide ? value : value & 0xffff));
      }
      case 3 -> {
        int len = 1 + random.nextInt(Math.min(64, d.length));
        int src = random.nextInt(d.length - len + 1);
        int dst = Math.max(from, random.nextInt(d.length - len + 1));
        if (dst + len > d.length) {
          dst = d.length - len;
        }
        System.arraycopy(data, src, d, dst, len);
        return new Mutation(d, len + " bytes from " + src + " copied to " + dst);
      }
      default -> {
        boolean explicit = EXPLICIT_LE.equals(transferSyntax);
        byte[] bomb =
            kind == 4
                ? deepBomb(explicit, 1000 + random.nextInt(100_000), random.nextBoolean())
                : wideBomb(explicit, 10_000 + random.nextInt(100_000), random.nextBoolean());
        byte[] out = new byte[d.length + bomb.length];
        System.arraycopy(d, 0, out, 0, from);
        System.arraycopy(bomb, 0, out, from, bomb.length);
        System.arraycopy(d, from, out, from + bomb.length, d.length - from);
        return new Mutation(
            out,
            (kind == 4 ? "deep" : "wide")
                + " sequence bomb of "
                + bomb.length
                + " bytes at "
                + from);
      }
    }
  }

  /**
   * Sequences nested {@code depth} deep (each an item of the one above), undefined lengths; closed
   * by their delimiters or left open. Tag (0004,1220) sorts before every data set's first element.
   */
  public static byte[] deepBomb(boolean explicit, int depth, boolean closed) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < depth; i++) {
      sequenceHeader(out, explicit, 0xFFFFFFFFL);
      itemHeader(out, 0xE000, 0xFFFFFFFFL);
    }
    if (closed) {
      for (int i = 0; i < depth; i++) {
        itemHeader(out, 0xE00D, 0);
        itemHeader(out, 0xE0DD, 0);
      }
    }
    return out.toByteArray();
  }

  /** One sequence of {@code items} empty items; closed, or with a defined length that lies. */
  public static byte[] wideBomb(boolean explicit, int items, boolean closed) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    sequenceHeader(out, explicit, closed ? 0xFFFFFFFFL : 0xFFFFFFF0L);
    for (int i = 0; i < items; i++) {
      itemHeader(out, 0xE000, 0);
    }
    if (closed) {
      itemHeader(out, 0xE0DD, 0);
    }
    return out.toByteArray();
  }

  private static void sequenceHeader(ByteArrayOutputStream out, boolean explicit, long length) {
    out.writeBytes(new byte[] {0x04, 0x00, 0x20, 0x12});
    if (explicit) {
      out.writeBytes(new byte[] {'S', 'Q', 0, 0});
    }
    le32(out, length);
  }

  private static void itemHeader(ByteArrayOutputStream out, int element, long length) {
    out.writeBytes(new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) element, (byte) (element >>> 8)});
    le32(out, length);
  }

  private static void le32(ByteArrayOutputStream out, long v) {
    out.writeBytes(new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)});
  }

  /**
   * A random position that looks like an explicit VR length field (after a tag and a known VR), or,
   * in an implicit VR data set, like a 32-bit length after an even group's tag.
   */
  private static int lengthField(byte[] d, int from, SplittableRandom random) {
    int start = from + random.nextInt(Math.max(1, Math.min(d.length - from, 4096)));
    for (int p = start; p + 12 <= d.length; p++) {
      if (Pdus.isVr(d[p + 4], d[p + 5])) {
        String vr =
            new String(new byte[] {d[p + 4], d[p + 5]}, java.nio.charset.StandardCharsets.US_ASCII);
        return Pdus.LONG_VRS.contains(vr) ? p + 8 : p + 6;
      }
    }
    return d.length >= from + 8 ? from + 4 : -1;
  }
}
