package org.strata.dicom.codec;

import java.io.IOException;

/**
 * JPEG Lossless, Non-Hierarchical, Huffman coded (ITU-T T.81 Annex H, Process 14): transfer
 * syntaxes 1.2.840.10008.1.2.4.57 (any predictor 1-7) and .70 (predictor 1). Reads SOF3, DHT, DRI
 * and SOS segments; scans may be interleaved or hold one component each; restart markers reset the
 * predictor (H.1.2.1); the point transform Pt shifts the decoded samples left. Every component must
 * have sampling factors 1x1 (what DICOM encoders write). The output is the native frame: one byte
 * per sample for 8 bits allocated, two (little endian) for 16, colour-by-pixel. Decoded values are
 * written as their bit pattern (no sign extension), as DCMTK does.
 */
public final class JpegLosslessDecoder implements FrameDecoder {
  private static final int SOI = 0xD8;
  private static final int EOI = 0xD9;
  private static final int SOS = 0xDA;
  private static final int DHT = 0xC4;
  private static final int DRI = 0xDD;
  private static final int SOF3 = 0xC3;
  private static final int RST0 = 0xD0;

  @Override
  public byte[] decode(byte[] data, PixelDescription image) throws IOException {
    try {
      return new Frame(data, image).decode();
    } catch (IndexOutOfBoundsException e) {
      throw new CodecException("JPEG Lossless frame is truncated or corrupt", e);
    }
  }

  @Override
  public String decodedPhotometric(PixelDescription image) {
    return image.photometricInterpretation(); // lossless JPEG has no colour transform
  }

  /** The state of one frame's decoding. */
  private static final class Frame {
    private final byte[] in;
    private final PixelDescription image;
    private int pos;
    private final Huffman[] tables = new Huffman[4];
    private int restartInterval;
    // From SOF3.
    private int precision;
    private int width;
    private int height;
    private int[] componentIds;

    /** The native frame, decoded into directly (predictions read it back): one frame of memory. */
    private byte[] frame;

    private boolean wide;
    private int nf;
    private boolean[] decoded;

    Frame(byte[] in, PixelDescription image) {
      this.in = in;
      this.image = image;
    }

    byte[] decode() throws IOException {
      if (in.length < 4 || u8(0) != 0xFF || u8(1) != SOI) {
        throw new CodecException("not a JPEG stream (no SOI marker)");
      }
      pos = 2;
      while (true) {
        int marker = nextMarker();
        switch (marker) {
          case EOI -> {
            return output();
          }
          case SOF3 -> frameHeader(segment());
          case DHT -> huffmanTables(segment());
          case DRI -> {
            int[] s = segment();
            if (s[1] - s[0] != 2) {
              throw new CodecException("JPEG DRI segment of the wrong length");
            }
            restartInterval = u16(s[0]);
          }
          case SOS -> {
            scan(segment());
            if (allDecoded() && pos >= in.length) {
              return output(); // some encoders omit EOI
            }
          }
          default -> {
            if ((marker >= 0xC0 && marker <= 0xCF && marker != DHT && marker != 0xC8)) {
              throw new CodecException(
                  "JPEG frame type SOF" + (marker - 0xC0) + " is not lossless Huffman (SOF3)");
            }
            if (marker == 0xDC || marker == 0xDE || marker == 0xDF) {
              throw new CodecException("hierarchical JPEG is not supported");
            }
            if (marker >= RST0 && marker <= RST0 + 7) {
              continue; // a stray restart marker carries no segment
            }
            segment(); // APPn, COM, DQT, DNL, ...: skipped
          }
        }
      }
    }

    private boolean allDecoded() {
      if (decoded == null) {
        return false;
      }
      for (boolean d : decoded) {
        if (!d) {
          return false;
        }
      }
      return true;
    }

    /** The next marker code, skipping fill bytes (0xFF runs). */
    private int nextMarker() throws CodecException {
      while (pos < in.length && u8(pos) != 0xFF) {
        pos++; // tolerate garbage between segments
      }
      while (pos < in.length && u8(pos) == 0xFF) {
        pos++;
      }
      if (pos >= in.length) {
        if (allDecoded()) {
          return EOI;
        }
        throw new CodecException("JPEG Lossless frame ends before its image is complete");
      }
      return u8(pos++);
    }

    /** The current segment's [start, end) after its length field; moves past it. */
    private int[] segment() throws CodecException {
      if (pos + 2 > in.length) {
        throw new CodecException("JPEG segment truncated");
      }
      int length = u16(pos);
      if (length < 2 || pos + length > in.length) {
        throw new CodecException("JPEG segment length " + length + " past the end of the frame");
      }
      int[] s = {pos + 2, pos + length};
      pos += length;
      return s;
    }

    private void frameHeader(int[] s) throws CodecException {
      if (frame != null) {
        throw new CodecException("JPEG stream has two frame headers");
      }
      if (s[1] - s[0] < 6) {
        throw new CodecException("JPEG SOF3 segment too short");
      }
      precision = u8(s[0]);
      height = u16(s[0] + 1);
      width = u16(s[0] + 3);
      int nf = u8(s[0] + 5);
      if (precision < 2 || precision > 16) {
        throw new CodecException("JPEG Lossless precision " + precision + " outside 2-16");
      }
      if (s[1] - s[0] != 6 + 3 * nf || nf < 1) {
        throw new CodecException("JPEG SOF3 segment of the wrong length");
      }
      if (height == 0) {
        throw new CodecException("JPEG frames with the height in a DNL segment are not supported");
      }
      if (height != image.rows() || width != image.columns()) {
        throw new CodecException(
            "JPEG frame is "
                + width
                + "x"
                + height
                + ", the data set says "
                + image.columns()
                + "x"
                + image.rows());
      }
      if (nf != image.samplesPerPixel()) {
        throw new CodecException(
            "JPEG frame has " + nf + " components, the data set " + image.samplesPerPixel());
      }
      int bytes = image.bitsAllocated() / 8;
      if (bytes != 1 && bytes != 2 || precision > 8 * bytes) {
        throw new CodecException(
            "JPEG precision "
                + precision
                + " does not fit "
                + image.bitsAllocated()
                + " bits allocated");
      }
      if ((long) width * height * nf * bytes > PixelDescription.MAX_FRAME_LENGTH) {
        throw new CodecException("JPEG frame too large");
      }
      componentIds = new int[nf];
      for (int c = 0; c < nf; c++) {
        componentIds[c] = u8(s[0] + 6 + 3 * c);
        int sampling = u8(s[0] + 7 + 3 * c);
        if (sampling != 0x11) {
          throw new CodecException("JPEG Lossless with subsampled components is not supported");
        }
        for (int k = 0; k < c; k++) {
          if (componentIds[k] == componentIds[c]) {
            throw new CodecException("JPEG frame has two components with the same identifier");
          }
        }
      }
      this.nf = nf;
      wide = bytes == 2;
      frame = new byte[width * height * nf * bytes];
      decoded = new boolean[nf];
    }

    private void huffmanTables(int[] s) throws CodecException {
      int p = s[0];
      while (p < s[1]) {
        int tcth = u8(p);
        if (tcth >> 4 != 0 || (tcth & 15) > 3) {
          throw new CodecException("JPEG DHT defines an AC or out-of-range table");
        }
        if (p + 17 > s[1]) {
          throw new CodecException("JPEG DHT segment truncated");
        }
        int[] counts = new int[17];
        int total = 0;
        for (int l = 1; l <= 16; l++) {
          counts[l] = u8(p + l);
          total += counts[l];
        }
        if (p + 17 + total > s[1] || total > 256) {
          throw new CodecException("JPEG DHT segment truncated");
        }
        int[] values = new int[total];
        for (int k = 0; k < total; k++) {
          values[k] = u8(p + 17 + k);
        }
        tables[tcth & 15] = new Huffman(counts, values);
        p += 17 + total;
      }
    }

    private void scan(int[] s) throws CodecException {
      if (frame == null) {
        throw new CodecException("JPEG scan before the SOF3 frame header");
      }
      int p = s[0];
      int ns = u8(p++);
      if (ns < 1 || ns > componentIds.length || s[1] - s[0] != 4 + 2 * ns) {
        throw new CodecException("JPEG SOS segment of the wrong length");
      }
      int[] comps = new int[ns];
      Huffman[] huff = new Huffman[ns];
      for (int k = 0; k < ns; k++) {
        int id = u8(p++);
        int table = u8(p++) >> 4;
        comps[k] = -1;
        for (int c = 0; c < componentIds.length; c++) {
          if (componentIds[c] == id) {
            comps[k] = c;
          }
        }
        if (comps[k] < 0 || decoded[comps[k]]) {
          throw new CodecException("JPEG scan names an unknown or already decoded component");
        }
        if (table > 3 || tables[table] == null) {
          throw new CodecException("JPEG scan uses Huffman table " + table + ", not defined");
        }
        huff[k] = tables[table];
      }
      int predictor = u8(p);
      int se = u8(p + 1);
      int pt = u8(p + 2) & 15;
      if (predictor < 1 || predictor > 7 || se != 0 || u8(p + 2) >> 4 != 0) {
        throw new CodecException("JPEG scan is not lossless (predictor " + predictor + ")");
      }
      if (pt >= precision) {
        throw new CodecException("JPEG point transform " + pt + " not below the precision");
      }
      new Scan(comps, huff, predictor, pt).run();
      for (int c : comps) {
        decoded[c] = true;
      }
    }

    /** One scan's entropy-coded data, from {@code pos}; leaves {@code pos} at its end marker. */
    private final class Scan {
      private final int[] comps;
      private final Huffman[] huff;
      private final int predictor;
      private final int pt;
      private final int initial;
      // Bit reader: the bits not yet used, most significant first.
      private int bits;
      private int bitCount;
      private int nextRestart;

      Scan(int[] comps, Huffman[] huff, int predictor, int pt) {
        this.comps = comps;
        this.huff = huff;
        this.predictor = predictor;
        this.pt = pt;
        this.initial = 1 << (precision - pt - 1);
      }

      void run() throws CodecException {
        int ns = comps.length;
        int line = width * nf; // samples per row in the frame
        long untilRestart = restartInterval;
        boolean reset = true; // first sample after the start or a restart
        int firstRow = 0; // the row that uses predictor 1 (first row of an interval)
        int i = 0; // pixel index
        for (int y = 0; y < height; y++) {
          for (int x = 0; x < width; x++, i++) {
            if (restartInterval > 0 && untilRestart == 0) {
              restart();
              untilRestart = restartInterval;
              reset = true;
            }
            if (reset) {
              firstRow = y;
            }
            for (int k = 0; k < ns; k++) {
              int at = i * nf + comps[k]; // sample index in the frame
              int prediction;
              if (reset) {
                prediction = initial;
              } else if (y == firstRow) {
                prediction = get(at - nf); // the first row of an interval: Ra (H.1.2.1)
              } else if (x == 0) {
                prediction = get(at - line);
              } else {
                int ra = get(at - nf);
                int rb = get(at - line);
                int rc = get(at - line - nf);
                prediction =
                    switch (predictor) {
                      case 1 -> ra;
                      case 2 -> rb;
                      case 3 -> rc;
                      case 4 -> ra + rb - rc;
                      case 5 -> ra + ((rb - rc) >> 1);
                      case 6 -> rb + ((ra - rc) >> 1);
                      default -> (ra + rb) >> 1;
                    };
              }
              set(at, prediction + difference(huff[k])); // modulo 2^16 (H.2.1)
            }
            reset = false;
            untilRestart--;
          }
        }
        finish();
        if (pt > 0) {
          int n = width * height * nf;
          for (int c : comps) {
            for (int at = c; at < n; at += nf) {
              set(at, get(at) << pt);
            }
          }
        }
      }

      /** A decoded difference (H.1.2.2): a category, then its extra bits. */
      private int difference(Huffman table) throws CodecException {
        int ssss = table.decode(this);
        if (ssss == 0) {
          return 0;
        }
        if (ssss == 16) {
          return 32768;
        }
        if (ssss > 16) {
          throw new CodecException("JPEG Lossless difference category " + ssss + " above 16");
        }
        int v = bits(ssss);
        return v < 1 << (ssss - 1) ? v - (1 << ssss) + 1 : v;
      }

      int bit() throws CodecException {
        if (bitCount == 0) {
          fill();
        }
        bitCount--;
        return (bits >>> bitCount) & 1;
      }

      private int bits(int n) throws CodecException {
        while (bitCount < n) {
          fill();
        }
        bitCount -= n;
        return (bits >>> bitCount) & ((1 << n) - 1);
      }

      /** Eight more bits, undoing 0xFF00 stuffing; a marker here means the data is cut short. */
      private void fill() throws CodecException {
        if (pos >= in.length) {
          throw new CodecException("JPEG Lossless scan data truncated");
        }
        int b = u8(pos);
        if (b == 0xFF) {
          if (pos + 1 >= in.length) {
            throw new CodecException("JPEG Lossless scan data truncated");
          }
          if (u8(pos + 1) != 0) {
            throw new CodecException(
                "JPEG Lossless scan data ends (marker "
                    + Integer.toHexString(u8(pos + 1))
                    + ") before its image is complete");
          }
          pos += 2;
        } else {
          pos++;
        }
        bits = (bits << 8) | b;
        bitCount += 8;
      }

      /** Discards the partial byte and expects RSTn (n counting modulo 8). */
      private void restart() throws CodecException {
        bitCount = 0;
        bits = 0;
        int at = pos;
        while (at < in.length && u8(at) == 0xFF) {
          at++;
        }
        int expected = RST0 + (nextRestart & 7);
        if (at >= in.length || at == pos || u8(at) != expected) {
          throw new CodecException("JPEG restart marker RST" + (nextRestart & 7) + " missing");
        }
        pos = at + 1;
        nextRestart++;
      }

      /** Leaves {@code pos} at the next marker after the scan's last byte. */
      private void finish() {
        bitCount = 0;
        while (pos + 1 < in.length && !(u8(pos) == 0xFF && u8(pos + 1) != 0)) {
          pos++;
        }
        if (pos + 1 >= in.length) {
          pos = in.length;
        }
      }
    }

    private byte[] output() throws CodecException {
      if (!allDecoded()) {
        throw new CodecException("JPEG Lossless frame ends before all components are decoded");
      }
      return frame;
    }

    /** Sample {@code at} of the frame (its low 8 bits when samples are bytes). */
    private int get(int at) {
      return wide ? (frame[2 * at] & 0xFF) | (frame[2 * at + 1] & 0xFF) << 8 : frame[at] & 0xFF;
    }

    private void set(int at, int value) {
      if (wide) {
        frame[2 * at] = (byte) value;
        frame[2 * at + 1] = (byte) (value >> 8);
      } else {
        frame[at] = (byte) value;
      }
    }

    private int u8(int at) {
      return in[at] & 0xFF;
    }

    private int u16(int at) {
      return (in[at] & 0xFF) << 8 | (in[at + 1] & 0xFF);
    }
  }

  /** A DC Huffman table (T.81 C and F.2.2.3): the codes of each length, canonical order. */
  private static final class Huffman {
    private final int[] maxCode = new int[18];
    private final int[] valPtr = new int[17];
    private final int[] minCode = new int[17];
    private final int[] values;

    Huffman(int[] counts, int[] values) throws CodecException {
      this.values = values;
      int code = 0;
      int k = 0;
      for (int l = 1; l <= 16; l++) {
        valPtr[l] = k;
        minCode[l] = code;
        code += counts[l];
        k += counts[l];
        maxCode[l] = counts[l] == 0 ? -1 : code - 1;
        if (code > 1 << l) {
          throw new CodecException("JPEG Huffman table has more codes than bits allow");
        }
        code <<= 1;
      }
      maxCode[17] = Integer.MAX_VALUE;
    }

    int decode(Frame.Scan scan) throws CodecException {
      int code = scan.bit();
      for (int l = 1; l <= 16; l++) {
        if (code <= maxCode[l]) {
          return values[valPtr[l] + code - minCode[l]];
        }
        code = (code << 1) | scan.bit();
      }
      throw new CodecException("JPEG Lossless data holds an undefined Huffman code");
    }
  }
}
