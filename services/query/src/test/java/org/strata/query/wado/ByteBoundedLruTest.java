package org.strata.query.wado;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.strata.dicom.io.FrameIndex;

/** {@link ByteBoundedLru}: the byte budget, recency, oversized entries, the frame index weight. */
class ByteBoundedLruTest {

  @Test
  void evictsTheLeastRecentlyUsedBeyondTheBudget() {
    ByteBoundedLru<String, String> lru = new ByteBoundedLru<>(10, String::length);
    lru.put("a", "aaaa"); // 4
    lru.put("b", "bbbb"); // 8
    assertEquals("aaaa", lru.get("a")); // a is now the most recent
    lru.put("c", "ccc"); // 11 > 10: b goes
    assertNull(lru.get("b"));
    assertEquals("aaaa", lru.get("a"));
    assertEquals("ccc", lru.get("c"));
    assertEquals(7, lru.bytes());
    assertEquals(2, lru.size());
    lru.put("a", "a"); // replaced: 1 + 3
    assertEquals(4, lru.bytes());
    assertEquals(3, lru.hits());
    assertEquals(1, lru.misses());
  }

  @Test
  void anEntryAboveTheBudgetIsNotKept() {
    ByteBoundedLru<String, String> lru = new ByteBoundedLru<>(3, String::length);
    lru.put("a", "aa");
    lru.put("big", "bbbb");
    assertNull(lru.get("big"));
    assertEquals("aa", lru.get("a"));
    ByteBoundedLru<String, String> none = new ByteBoundedLru<>(0, String::length);
    none.put("a", "a");
    assertNull(none.get("a"));
  }

  /**
   * One frame of one range: 400 + 5 * 2 + 16 = 426; WadoTestData's swapped index of two frames of
   * one range each: 400 + 5 * 3 + 32 = 447.
   */
  @Test
  void frameIndexWeight() {
    byte[] oneFrame = {'S', 'F', 'I', 'X', 1, 0, 1, 1, 0, 10};
    assertEquals(426, FrameIndexCache.weight(FrameIndex.fromBytes(oneFrame)));
    byte[] twoFrames = {
      'S',
      'F',
      'I',
      'X',
      1,
      1,
      2,
      1,
      (byte) 0xD0,
      0x1F,
      (byte) 0x98,
      0x05,
      1,
      (byte) 0xEF,
      0x14,
      (byte) 0x98,
      0x05
    };
    assertEquals(447, FrameIndexCache.weight(FrameIndex.fromBytes(twoFrames)));
  }

  /** Derivative keys carry no version: only version 1 of an instance is cached. */
  @Test
  void onlyVersionOneIsCacheable() {
    assertEquals(true, located("t/1.2/1.2.3/1.2.3.4.dcm").cacheableDerivatives());
    assertEquals(false, located("t/1.2/1.2.3/1.2.3.4.v2.dcm").cacheableDerivatives());
    assertEquals(false, located("t/1.2/1.2.3/1.2.3.4.v17.dcm").cacheableDerivatives());
  }

  private static StoredInstance located(String key) {
    return new StoredInstance(
        "1.2", "1.2.3", "1.2.3.4", "1.2.840.10008.1.2.1", "b", key, 10, null, null, "e");
  }
}
