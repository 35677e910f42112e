package org.strata.dicom;

/**
 * The DICOM value representations of PS3.5 table 6.2-1 with the facts a reader and writer need on
 * the wire.
 *
 * <p>Lengths in {@link #maxLength()} are in characters for the text VRs (the standard counts
 * characters there, a multi-byte character set may need more bytes) and in bytes otherwise; {@code
 * -1} means "limited only by the 32-bit length field".
 */
public enum VR {
  AE(Kind.STRING, 0x20, 16, 1, false),
  AS(Kind.STRING, 0x20, 4, 1, false),
  AT(Kind.BINARY, 0x00, 4, 2, false),
  CS(Kind.STRING, 0x20, 16, 1, false),
  DA(Kind.STRING, 0x20, 8, 1, false),
  DS(Kind.STRING, 0x20, 16, 1, false),
  DT(Kind.STRING, 0x20, 26, 1, false),
  FD(Kind.BINARY, 0x00, 8, 8, false),
  FL(Kind.BINARY, 0x00, 4, 4, false),
  IS(Kind.STRING, 0x20, 12, 1, false),
  LO(Kind.STRING, 0x20, 64, 1, false),
  LT(Kind.TEXT, 0x20, 10240, 1, false),
  OB(Kind.BINARY, 0x00, -1, 1, true),
  OD(Kind.BINARY, 0x00, -1, 8, true),
  OF(Kind.BINARY, 0x00, -1, 4, true),
  OL(Kind.BINARY, 0x00, -1, 4, true),
  OV(Kind.BINARY, 0x00, -1, 8, true),
  OW(Kind.BINARY, 0x00, -1, 2, true),
  PN(Kind.STRING, 0x20, 64, 1, false),
  SH(Kind.STRING, 0x20, 16, 1, false),
  SL(Kind.BINARY, 0x00, 4, 4, false),
  SQ(Kind.SEQUENCE, 0x00, -1, 1, true),
  SS(Kind.BINARY, 0x00, 2, 2, false),
  ST(Kind.TEXT, 0x20, 1024, 1, false),
  SV(Kind.BINARY, 0x00, 8, 8, true),
  TM(Kind.STRING, 0x20, 14, 1, false),
  UC(Kind.STRING, 0x20, -1, 1, true),
  UI(Kind.STRING, 0x00, 64, 1, false),
  UL(Kind.BINARY, 0x00, 4, 4, false),
  UN(Kind.BINARY, 0x00, -1, 1, true),
  UR(Kind.TEXT, 0x20, -1, 1, true),
  US(Kind.BINARY, 0x00, 2, 2, false),
  UT(Kind.TEXT, 0x20, -1, 1, true),
  UV(Kind.BINARY, 0x00, 8, 8, true);

  /** How a value of this VR is laid out. */
  public enum Kind {
    /** Text, possibly several values separated by backslash. */
    STRING,
    /** Text that is always one value: a backslash is an ordinary character (ST, LT, UT, UR). */
    TEXT,
    /** Binary numbers or bytes in the transfer syntax byte order. */
    BINARY,
    /** A sequence of items. */
    SEQUENCE
  }

  private final Kind kind;
  private final int paddingByte;
  private final int maxLength;
  private final int unitSize;
  private final boolean longHeader;
  private final int code;

  VR(Kind kind, int paddingByte, int maxLength, int unitSize, boolean longHeader) {
    this.kind = kind;
    this.paddingByte = paddingByte;
    this.maxLength = maxLength;
    this.unitSize = unitSize;
    this.longHeader = longHeader;
    this.code = (name().charAt(0) << 8) | name().charAt(1);
  }

  private static final VR[] BY_CODE = new VR[0x10000];

  static {
    for (VR vr : values()) {
      BY_CODE[vr.code] = vr;
    }
  }

  /** The two ASCII characters as they appear on the wire, first character in the high byte. */
  public int code() {
    return code;
  }

  /** The VR whose two-character code is {@code code}, or null if it is not a standard VR. */
  public static VR ofCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }

  /** The VR named by its two letters, or null. */
  public static VR ofName(String name) {
    return name != null && name.length() == 2
        ? ofCode((name.charAt(0) << 8) | name.charAt(1))
        : null;
  }

  public Kind kind() {
    return kind;
  }

  /**
   * Length of the element header in explicit VR transfer syntaxes: 12 (tag, VR, two reserved bytes,
   * 32-bit length) for the VRs of PS3.5 table 7.1-1, 8 (tag, VR, 16-bit length) otherwise.
   */
  public int explicitHeaderLength() {
    return longHeader ? 12 : 8;
  }

  /** The byte used to pad a value to even length: space for text, NUL for UI and binary VRs. */
  public int paddingByte() {
    return paddingByte;
  }

  /** Maximum value length (characters for text VRs, bytes otherwise) or -1 if unbounded. */
  public int maxLength() {
    return maxLength;
  }

  /**
   * Size in bytes of one binary unit, the unit byte swapping works on (2 for OW and AT, 4 for FL, 8
   * for FD...); 1 for text and byte VRs.
   */
  public int unitSize() {
    return unitSize;
  }

  public boolean isString() {
    return kind == Kind.STRING || kind == Kind.TEXT;
  }

  public boolean isBinary() {
    return kind == Kind.BINARY;
  }

  /** True for VRs whose value is decoded with the Specific Character Set (PS3.5 6.1.2.3). */
  public boolean isCharsetSensitive() {
    return switch (this) {
      case SH, LO, ST, LT, UC, UT, PN -> true;
      default -> false;
    };
  }

  /** True if several values are separated by backslash (string VRs except ST, LT, UT, UR). */
  public boolean isMultiValuedString() {
    return kind == Kind.STRING;
  }
}
