package org.strata.dicom.net;

/** AE title rules (PS3.5 6.2, VR AE): 1..16 characters, no control characters nor backslash. */
final class AeTitles {
  private AeTitles() {}

  static String check(String ae) {
    if (ae == null) {
      throw new IllegalArgumentException("AE title is null");
    }
    String s = ae.strip();
    if (s.isEmpty() || s.length() > 16) {
      throw new IllegalArgumentException("AE title must have 1 to 16 characters: '" + ae + "'");
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7E || c == '\\') {
        throw new IllegalArgumentException("invalid character in AE title: '" + ae + "'");
      }
    }
    return s;
  }
}
