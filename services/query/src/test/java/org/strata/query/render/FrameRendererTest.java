package org.strata.query.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import org.junit.jupiter.api.Test;
import org.strata.dicom.Attributes;
import org.strata.dicom.Tag;
import org.strata.dicom.VR;
import org.strata.dicom.codec.PixelDescription;
import org.strata.query.wado.WadoException;

/** The grayscale and colour pipeline on hand-made frames; expected values worked out by hand. */
class FrameRendererTest {

  static byte[] gray(BufferedImage image) {
    return ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
  }

  /** 16-bit signed, 12 bits stored: -2048, 0, 1000, 2047 (two's complement in 12 bits). */
  static final byte[] SIGNED12 = {
    0x00,
    0x08, // 0x800 = -2048 in 12 bits
    0x00,
    0x00,
    (byte) 0xE8,
    0x03, // 1000
    (byte) 0xFF,
    0x07 // 2047
  };

  @Test
  void signedWithWindowAndRescale() {
    PixelDescription image = new PixelDescription(2, 2, 1, 16, 12, 1, 0, 1, "MONOCHROME2");
    Attributes header = new Attributes();
    header.setString(Tag.RescaleSlope, VR.DS, "1");
    header.setString(Tag.RescaleIntercept, VR.DS, "-1000");
    // Values after rescale: -3048, -1000, 0, 1047. Window 0/1001 (linear, C.11.2.1.2.1):
    // below -0.5 - 500 = -500.5 -> 0; above -0.5 + 500 = 499.5 -> 255; 0 -> (0.5/1000 + 0.5) *
    // 255 = 127.6 -> 128.
    BufferedImage out =
        FrameRenderer.render(SIGNED12, image, header, new RenderParams.Window(0, 1001, false));
    assertArrayEquals(new byte[] {0, 0, (byte) 128, (byte) 255}, gray(out));
    // MONOCHROME1: inverted.
    BufferedImage inverted =
        FrameRenderer.render(
            SIGNED12,
            image.with("MONOCHROME1", 0),
            header,
            new RenderParams.Window(0, 1001, false));
    assertArrayEquals(new byte[] {(byte) 255, (byte) 255, (byte) 127, 0}, gray(inverted));
  }

  @Test
  void windowFromTheObjectElseTheRange() {
    PixelDescription image = new PixelDescription(2, 2, 1, 16, 12, 1, 0, 1, "MONOCHROME2");
    Attributes header = new Attributes();
    header.setString(Tag.WindowCenter, VR.DS, "0", "500");
    header.setString(Tag.WindowWidth, VR.DS, "1001", "10");
    // The first window: 0/1001 on -2048, 0, 1000, 2047.
    assertArrayEquals(
        new byte[] {0, (byte) 128, (byte) 255, (byte) 255},
        gray(FrameRenderer.render(SIGNED12, image, header, null)));
    // No window: the range -2048..2047 -> (v + 2048) / 4095 * 255: 0, 127.5 -> 128, 189.8 -> 190.
    assertArrayEquals(
        new byte[] {0, (byte) 128, (byte) 190, (byte) 255},
        gray(FrameRenderer.render(SIGNED12, image, new Attributes(), null)));
  }

  @Test
  void eightBitUnsignedAndLinearExact() {
    PixelDescription image = new PixelDescription(1, 4, 1, 8, 8, 0, 0, 1, "MONOCHROME2");
    byte[] frame = {0, 50, (byte) 100, (byte) 200};
    // linear-exact 100/100: 50 -> 0, 100 -> 127.5 -> 128, 150 and above -> 255.
    assertArrayEquals(
        new byte[] {0, 0, (byte) 128, (byte) 255},
        gray(
            FrameRenderer.render(
                frame, image, new Attributes(), new RenderParams.Window(100, 100, true))));
  }

  @Test
  void colourPlanarAndYbr() {
    // 1 x 2 RGB colour-by-plane: R plane (10, 20), G (30, 40), B (50, 60).
    PixelDescription planar = new PixelDescription(1, 2, 3, 8, 8, 0, 1, 1, "RGB");
    BufferedImage rgb =
        FrameRenderer.render(new byte[] {10, 20, 30, 40, 50, 60}, planar, new Attributes(), null);
    assertEquals(0x0A1E32, rgb.getRGB(0, 0) & 0xFFFFFF);
    assertEquals(0x14283C, rgb.getRGB(1, 0) & 0xFFFFFF);
    // YBR_FULL (C.7.6.3.1.2): Y 100, Cb 128, Cr 228 -> R 100 + 1.402 * 100 = 240.2 -> 240,
    // G 100 - 0.714136 * 100 = 28.6 -> 29, B 100.
    PixelDescription ybr = new PixelDescription(1, 1, 3, 8, 8, 0, 0, 1, "YBR_FULL");
    BufferedImage fromYbr =
        FrameRenderer.render(new byte[] {100, (byte) 128, (byte) 228}, ybr, new Attributes(), null);
    assertEquals((240 << 16) | (29 << 8) | 100, fromYbr.getRGB(0, 0) & 0xFFFFFF);
  }

  @Test
  void paletteColour() {
    // 3 entries from 10, 16 bits each: red 0x1000 0x8000 0xFF00, green 0x0100 0x0200 0x0300,
    // blue 0 0 0xFFFF. Stored values 9 (below: entry 0), 11 (entry 1), 200 (above: entry 2).
    Attributes header = new Attributes();
    for (int tag :
        new int[] {
          Tag.RedPaletteColorLookupTableDescriptor,
          Tag.GreenPaletteColorLookupTableDescriptor,
          Tag.BluePaletteColorLookupTableDescriptor
        }) {
      header.set(tag, VR.US, new byte[] {3, 0, 10, 0, 16, 0});
    }
    header.set(
        Tag.RedPaletteColorLookupTableData,
        VR.OW,
        new byte[] {0x00, 0x10, 0x00, (byte) 0x80, 0x00, (byte) 0xFF});
    header.set(Tag.GreenPaletteColorLookupTableData, VR.OW, new byte[] {0, 1, 0, 2, 0, 3});
    header.set(
        Tag.BluePaletteColorLookupTableData,
        VR.OW,
        new byte[] {0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF});
    PixelDescription image = new PixelDescription(1, 3, 1, 8, 8, 0, 0, 1, "PALETTE COLOR");
    BufferedImage out = FrameRenderer.render(new byte[] {9, 11, (byte) 200}, image, header, null);
    assertEquals(0x100100, out.getRGB(0, 0) & 0xFFFFFF);
    assertEquals(0x800200, out.getRGB(1, 0) & 0xFFFFFF);
    assertEquals(0xFF03FF, out.getRGB(2, 0) & 0xFFFFFF);
    // Without tables: 406.
    WadoException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            WadoException.class,
            () -> FrameRenderer.render(new byte[] {9, 11, 12}, image, new Attributes(), null));
    assertEquals(406, e.status());
  }

  @Test
  void refusals() {
    assertNull(
        FrameRenderer.refusal(new PixelDescription(1, 1, 1, 16, 16, 0, 0, 1, "MONOCHROME1")));
    assertNull(
        FrameRenderer.refusal(new PixelDescription(1, 1, 1, 8, 8, 0, 0, 1, "PALETTE COLOR")));
    assertNotNull(
        FrameRenderer.refusal(new PixelDescription(1, 1, 3, 8, 8, 0, 0, 1, "YBR_FULL_422")));
    assertNotNull(
        FrameRenderer.refusal(new PixelDescription(8, 8, 1, 1, 1, 0, 0, 1, "MONOCHROME2")));
    // 16384 x 8192 8-bit: a 128 MiB frame (decodable) but above the 64 megapixels rendered.
    assertNotNull(
        FrameRenderer.refusal(new PixelDescription(16384, 8192, 1, 8, 8, 0, 0, 1, "MONOCHROME2")));
  }
}
