package org.facesearch.evaluation;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.Test;

public class ArgsTests {

  private static Args parse(String... args) {
    return new Args(args, Set.of("queries", "seed", "versions", "cache"), Set.of("full"));
  }

  @Test
  public void valuesFlagsAndDefaults() {
    Args a =
        parse("--queries", "300", "--full", "--versions", "mask, crop", "--seed", "20261123123");
    assertEquals(300, a.integer("queries", 1000));
    assertEquals(300, a.positive("queries", 1000));
    assertEquals(20261123123L, a.longValue("seed", 1));
    assertTrue(a.flag("full"));
    assertEquals(List.of("mask", "crop"), a.words("versions", "clean"));
    assertNull(a.stringOrNull("cache"));
    assertEquals("target/c", a.path("cache", "target/c").toString());
    assertEquals("--queries 300 --full --versions mask, crop --seed 20261123123", a.line());
    Args none = parse();
    assertFalse(none.flag("full"));
    assertEquals(1000, none.integer("queries", 1000));
    assertEquals(List.of(100, 400), none.integers("queries", "100,400"));
  }

  @Test
  public void errorsNameTheOption() {
    assertEquals(
        "unknown option [--querys]; known: [--cache VALUE, --full, --queries VALUE, --seed VALUE, --versions VALUE]",
        assertThrows(IllegalArgumentException.class, () -> parse("--querys", "3")).getMessage());
    assertEquals(
        "unknown option [300]; known: [--cache VALUE, --full, --queries VALUE, --seed VALUE, --versions VALUE]",
        assertThrows(IllegalArgumentException.class, () -> parse("300")).getMessage());
    assertEquals(
        "option [--queries] needs a value",
        assertThrows(IllegalArgumentException.class, () -> parse("--queries")).getMessage());
    assertEquals(
        "option [--queries] given twice",
        assertThrows(
                IllegalArgumentException.class, () -> parse("--queries", "1", "--queries", "2"))
            .getMessage());
    assertEquals(
        "option [--full] given twice",
        assertThrows(IllegalArgumentException.class, () -> parse("--full", "--full")).getMessage());
    assertEquals(
        "option [--queries] must be an integer of at least 1, got [0]",
        assertThrows(
                IllegalArgumentException.class,
                () -> parse("--queries", "0").positive("queries", 1))
            .getMessage());
    assertEquals(
        "option [--queries] must be an integer, got [many]",
        assertThrows(
                IllegalArgumentException.class,
                () -> parse("--queries", "many").integer("queries", 1))
            .getMessage());
    assertEquals(
        "option [--versions] has an empty item: [mask,,crop]",
        assertThrows(
                IllegalArgumentException.class,
                () -> parse("--versions", "mask,,crop").words("versions", ""))
            .getMessage());
    // Reading an undeclared option is the tool's bug.
    assertThrows(IllegalStateException.class, () -> parse().string("threads", "2"));
  }
}
