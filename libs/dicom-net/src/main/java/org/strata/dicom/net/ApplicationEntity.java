package org.strata.dicom.net;

import java.util.List;

/** A local AE title with its transfer capabilities (what an acceptor negotiates against). */
public record ApplicationEntity(String aeTitle, List<TransferCapability> capabilities) {
  public ApplicationEntity {
    aeTitle = AeTitles.check(aeTitle);
    capabilities = List.copyOf(capabilities);
  }
}
