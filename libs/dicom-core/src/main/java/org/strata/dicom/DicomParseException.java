package org.strata.dicom;

/**
 * The one exception a reader throws for input that is not well-formed DICOM: truncated, lengths
 * that do not fit, values over the allocation limit, nesting too deep, unreadable deflate data.
 *
 * <p>Unchecked on purpose: callers treat every malformed file the same way (reject it), and an
 * {@link java.io.IOException} from the underlying stream stays distinct from bad content.
 */
public class DicomParseException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final long offset;
  private final String reason;

  public DicomParseException(long offset, String reason) {
    this(offset, reason, null);
  }

  public DicomParseException(long offset, String reason, Throwable cause) {
    super(reason + " (at byte " + offset + ")", cause);
    this.offset = offset;
    this.reason = reason;
  }

  /**
   * Byte offset where the problem was found, counted from the start of the input (in the inflated
   * stream for deflated transfer syntaxes, after the file meta information).
   */
  public long offset() {
    return offset;
  }

  /** What is wrong, without the offset. */
  public String reason() {
    return reason;
  }
}
