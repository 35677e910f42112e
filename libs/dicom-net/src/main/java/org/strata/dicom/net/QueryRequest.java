package org.strata.dicom.net;

import org.strata.dicom.Tag;

/** What a C-FIND, C-MOVE or C-GET handler gets to know besides the identifier. */
public record QueryRequest(
    Association association, PresentationContext presentationContext, CommandSet command) {

  /** The information model: Patient Root, Study Root... FIND, MOVE or GET. */
  public String sopClassUid() {
    return command.affectedSopClassUid();
  }

  /** The identifier's transfer syntax (the context's); responses are encoded in it. */
  public String transferSyntax() {
    return presentationContext.transferSyntax();
  }

  public int messageId() {
    return command.messageId();
  }

  public int priority() {
    return command.getInt(Tag.Priority, Dimse.PRIORITY_MEDIUM);
  }

  /** C-MOVE only: where the instances go. */
  public String moveDestination() {
    return command.getString(Tag.MoveDestination);
  }

  public String callingAE() {
    return association.callingAE();
  }

  public String calledAE() {
    return association.calledAE();
  }
}
