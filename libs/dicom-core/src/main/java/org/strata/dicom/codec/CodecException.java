package org.strata.dicom.codec;

import java.io.IOException;

/** Pixel data that cannot be decoded or transcoded: corrupt, or a form the codec lacks. */
public class CodecException extends IOException {
  public CodecException(String message) {
    super(message);
  }

  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
