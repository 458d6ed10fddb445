package org.facesearch.patches;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Random;
import org.facesearch.option.EnumOption;
import org.junit.Test;

public class PatchEncodingTests {

  private static PatchMap randomMap(Random random, int rows, int cols, int dims) {
    float[] chw = new float[dims * rows * cols];
    for (int i = 0; i < chw.length; i++) {
      chw[i] = (float) random.nextGaussian() * 3f;
    }
    return PatchMap.fromChannelMajor(chw, dims, rows, cols);
  }

  @Test
  public void fromChannelMajorNormalisesEachCellAndKeepsItsNorm() {
    // Hand-checked 1x2 map of 2 channels: cell 0 = (3, 4), cell 1 = (0, 0).
    float[] chw = {3f, 0f, 4f, 0f};
    PatchMap map = PatchMap.fromChannelMajor(chw, 2, 1, 2);
    assertArrayEquals(new float[] {0.6f, 0.8f, 0f, 0f}, map.cells(), 1e-7f);
    assertArrayEquals(new float[] {5f, 0f}, map.norms(), 1e-7f);
    assertArrayEquals(new float[] {0.6f, 0.8f}, map.centre(), 1e-6f);
  }

  @Test
  public void float32RoundTripIsExact() {
    PatchMap map = randomMap(new Random(1), 7, 7, 64);
    PatchMap back = PatchEncoding.decode(PatchEncoding.FLOAT32.encode(map));
    assertArrayEquals(map.cells(), back.cells(), 0f);
    assertArrayEquals(map.norms(), back.norms(), 0f);
    assertEquals(7, back.rows());
    assertEquals(64, back.dims());
  }

  @Test
  public void float16ErrorIsWithinHalfPrecision() {
    PatchMap map = randomMap(new Random(2), 7, 7, 512);
    PatchMap back = PatchEncoding.decode(PatchEncoding.FLOAT16.encode(map));
    for (int i = 0; i < map.cells().length; i++) {
      float v = map.cells()[i];
      // binary16 has an 11-bit significand: relative error <= 2^-11, plus subnormal spacing 2^-24.
      float bound = Math.abs(v) * 0x1p-11f + 0x1p-24f;
      assertEquals(v, back.cells()[i], bound);
    }
    assertArrayEquals(map.norms(), back.norms(), 0f);
  }

  @Test
  public void int8ErrorIsWithinHalfAStepOfEachCellsScale() {
    PatchMap map = randomMap(new Random(3), 7, 7, 512);
    PatchMap back = PatchEncoding.decode(PatchEncoding.INT8.encode(map));
    for (int cell = 0; cell < map.size(); cell++) {
      float max = 0;
      for (int c = 0; c < 512; c++) {
        max = Math.max(max, Math.abs(map.cells()[cell * 512 + c]));
      }
      float halfStep = max / 127f / 2f;
      for (int c = 0; c < 512; c++) {
        int i = cell * 512 + c;
        assertEquals(map.cells()[i], back.cells()[i], halfStep * 1.0001f);
      }
    }
  }

  @Test
  public void sizesMatchTheLayout() {
    assertEquals(9 + 49 * 4 + 49 * 512 * 4, PatchEncoding.FLOAT32.encodedBytes(7, 7, 512));
    assertEquals(9 + 49 * 4 + 49 * 512 * 2, PatchEncoding.FLOAT16.encodedBytes(7, 7, 512));
    assertEquals(9 + 49 * 4 + 49 * (4 + 512), PatchEncoding.INT8.encodedBytes(7, 7, 512));
    PatchMap map = randomMap(new Random(4), 7, 7, 512);
    for (PatchEncoding e : PatchEncoding.values()) {
      byte[] bytes = e.encode(map);
      assertEquals(e.encodedBytes(7, 7, 512), bytes.length);
      assertSame(e, PatchEncoding.of(bytes, 0, bytes.length));
    }
  }

  @Test
  public void decodesFromAnOffset() {
    PatchMap map = randomMap(new Random(5), 2, 3, 8);
    byte[] encoded = PatchEncoding.FLOAT32.encode(map);
    byte[] padded = new byte[encoded.length + 10];
    System.arraycopy(encoded, 0, padded, 7, encoded.length);
    assertArrayEquals(map.cells(), PatchEncoding.decode(padded, 7, encoded.length).cells(), 0f);
  }

  @Test
  public void malformedBytesAreRefusedWithAReason() {
    PatchMap map = randomMap(new Random(6), 2, 2, 4);
    byte[] good = PatchEncoding.FLOAT16.encode(map);
    assertMessage("no patch header", () -> PatchEncoding.decode(new byte[] {1, 2, 3}));
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
    assertMessage(
        "need " + good.length + " bytes, got " + (good.length - 1),
        () -> PatchEncoding.decode(truncated));
    byte[] badVersion = good.clone();
    badVersion[1] = 9;
    assertMessage("unknown format version [9]", () -> PatchEncoding.decode(badVersion));
    byte[] badEncoding = good.clone();
    badEncoding[2] = 7;
    assertMessage("unknown encoding id [7]", () -> PatchEncoding.decode(badEncoding));
    assertMessage(
        "[patch_encoding] must be one of [float32, float16, int8], got [bf16]",
        () -> EnumOption.parse("patch_encoding", "bf16", PatchEncoding.class));
  }

  @Test
  public void invalidMapsAreRefused() {
    assertMessage(
        "needs 8 cell values and 2 norms", () -> new PatchMap(1, 2, 4, new float[7], new float[2]));
    assertMessage(
        "not finite", () -> new PatchMap(1, 1, 2, new float[] {Float.NaN, 0}, new float[] {1}));
    assertMessage(
        "must be finite and >= 0", () -> new PatchMap(1, 1, 1, new float[] {1}, new float[] {-1}));
  }

  private static void assertMessage(String expected, org.junit.function.ThrowingRunnable runnable) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, runnable);
    assertTrue(
        "'" + e.getMessage() + "' should contain '" + expected + "'",
        e.getMessage().contains(expected));
  }
}
