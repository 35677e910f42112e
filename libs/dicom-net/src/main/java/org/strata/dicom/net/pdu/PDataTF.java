package org.strata.dicom.net.pdu;

import java.util.List;

/** P-DATA-TF PDU (PS3.8 9.3.5): one or more PDVs. */
public record PDataTF(List<Pdv> pdvs) implements Pdu {
  public PDataTF {
    pdvs = List.copyOf(pdvs);
  }

  @Override
  public int type() {
    return TYPE_P_DATA_TF;
  }
}
