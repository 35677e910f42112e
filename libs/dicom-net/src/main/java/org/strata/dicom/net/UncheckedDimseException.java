package org.strata.dicom.net;

/**
 * A {@link DimseException} thrown from code that cannot throw checked exceptions, such as the
 * iterator of a {@link CFindHandler}'s match stream: the operation ends with its status.
 */
public final class UncheckedDimseException extends RuntimeException {
  public UncheckedDimseException(DimseException cause) {
    super(cause.getMessage(), cause);
  }

  public UncheckedDimseException(int status, String errorComment) {
    this(new DimseException(status, errorComment));
  }

  @Override
  public synchronized DimseException getCause() {
    return (DimseException) super.getCause();
  }
}
