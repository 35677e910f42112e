package org.strata.dicom;

/** Helpers on tag numbers ({@code group << 16 | element}); the constants are in {@link Tag}. */
public final class Tags {

  /** Item (FFFE,E000): starts an item of a sequence or a fragment of encapsulated pixel data. */
  public static final int ITEM = 0xFFFEE000;

  /** Item Delimitation Item (FFFE,E00D): ends an item of undefined length. */
  public static final int ITEM_DELIMITATION = 0xFFFEE00D;

  /** Sequence Delimitation Item (FFFE,E0DD): ends a sequence or pixel data of undefined length. */
  public static final int SEQUENCE_DELIMITATION = 0xFFFEE0DD;

  private Tags() {}

  public static int group(int tag) {
    return tag >>> 16;
  }

  public static int element(int tag) {
    return tag & 0xFFFF;
  }

  public static int of(int group, int element) {
    return (group << 16) | (element & 0xFFFF);
  }

  /** Private data elements live in odd groups (PS3.5 7.8), except groups 0001, 0003, 0005, 0007. */
  public static boolean isPrivate(int tag) {
    int group = group(tag);
    return (group & 1) == 1 && group > 0x0008;
  }

  /** (gggg,0010-00FF) of a private group: reserves a block of 256 elements for a creator. */
  public static boolean isPrivateCreator(int tag) {
    int element = element(tag);
    return isPrivate(tag) && element >= 0x10 && element <= 0xFF;
  }

  /** (gggg,0000): a group length, deprecated but still found in older files. */
  public static boolean isGroupLength(int tag) {
    return element(tag) == 0;
  }

  /** Tags of the item and delimitation markers of group FFFE. */
  public static boolean isItemOrDelimiter(int tag) {
    return tag == ITEM || tag == ITEM_DELIMITATION || tag == SEQUENCE_DELIMITATION;
  }

  /** Orders tags as unsigned numbers: (FFFE,E000) is after (7FE0,0010), not before. */
  public static int compare(int tag1, int tag2) {
    return Integer.compareUnsigned(tag1, tag2);
  }

  /** "(gggg,eeee)" with upper-case hex digits. */
  public static String toString(int tag) {
    return String.format("(%04X,%04X)", group(tag), element(tag));
  }

  /** Parses "(gggg,eeee)", "gggg,eeee" or "ggggeeee"; throws IllegalArgumentException otherwise. */
  public static int parse(String text) {
    String hex = text.replace("(", "").replace(")", "").replace(",", "").trim();
    if (hex.length() != 8) {
      throw new IllegalArgumentException("not a tag: " + text);
    }
    return (int) Long.parseLong(hex, 16);
  }
}
