package org.facesearch.option;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;

import java.util.List;
import org.facesearch.encoder.EncodeMode;
import org.facesearch.patches.PatchEncoding;
import org.junit.Test;

/**
 * Every enum option is parsed by its wire name, in any case, and a wrong name says what is
 * accepted.
 */
public class EnumOptionTests {

  /** An enum with wire names of its own, as the EMD grids have ({@code 4x4}). */
  private enum Shape {
    SQUARE("4x4"),
    LINE("1x4");

    private final String wire;

    Shape(String wire) {
      this.wire = wire;
    }
  }

  @Test
  public void namesAreTheLowerCaseConstantNamesInAnyCase() {
    assertSame(EncodeMode.DETECT, EnumOption.parse("mode", "detect", EncodeMode.class));
    assertSame(EncodeMode.ALIGNED, EnumOption.parse("mode", "ALIGNED", EncodeMode.class));
    assertSame(
        PatchEncoding.FLOAT16, EnumOption.parse("patch_encoding", "Float16", PatchEncoding.class));
    assertEquals("float16", EnumOption.wireName(PatchEncoding.FLOAT16));
    assertEquals(List.of("detect", "aligned"), EnumOption.wireNames(EncodeMode.class));
  }

  @Test
  public void ownWireNamesAreUsedWhenGiven() {
    assertSame(Shape.SQUARE, EnumOption.parse("grid", "4X4", Shape.class, s -> s.wire));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> EnumOption.parse("grid", "square", Shape.class, s -> s.wire));
    assertEquals("[grid] must be one of [4x4, 1x4], got [square]", e.getMessage());
  }

  @Test
  public void aWrongNameNamesTheOptionTheAllowedValuesAndTheValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> EnumOption.parse("mode", "guess", EncodeMode.class));
    assertEquals("[mode] must be one of [detect, aligned], got [guess]", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> EnumOption.parse("mode", null, EncodeMode.class));
    assertEquals("[mode] must be one of [detect, aligned], got [null]", e.getMessage());
    // Whitespace is not trimmed: " detect" is not a mode.
    assertThrows(
        IllegalArgumentException.class,
        () -> EnumOption.parse("mode", " detect", EncodeMode.class));
  }
}
