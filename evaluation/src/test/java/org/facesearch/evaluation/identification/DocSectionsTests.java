package org.facesearch.evaluation.identification;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.junit.Test;

public class DocSectionsTests {

  @Test
  public void appendsAMissingSection() {
    String out = DocSections.replace("# Benchmarks\n\nhand text\n", "a", "table 1");
    assertEquals(
        "# Benchmarks\n\nhand text\n\n"
            + DocSections.begin("a")
            + "\ntable 1\n"
            + DocSections.end("a")
            + "\n",
        out);
  }

  @Test
  public void replacesOnlyItsOwnSection() {
    String page =
        "intro\n"
            + DocSections.begin("a")
            + "\nold a\n"
            + DocSections.end("a")
            + "\nmiddle\n"
            + DocSections.begin("b")
            + "\nold b\n"
            + DocSections.end("b")
            + "\noutro\n";
    String out = DocSections.replace(page, "a", "new a\n");
    assertEquals(
        "intro\n"
            + DocSections.begin("a")
            + "\nnew a\n"
            + DocSections.end("a")
            + "\nmiddle\n"
            + DocSections.begin("b")
            + "\nold b\n"
            + DocSections.end("b")
            + "\noutro\n",
        out);
    // Idempotent.
    assertEquals(out, DocSections.replace(out, "a", "new a\n"));
  }

  @Test
  public void refusesAnUnterminatedSection() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> DocSections.replace(DocSections.begin("a") + "\nx\n", "a", "y"));
    assertEquals("generated section [a] has a start marker but no end marker", e.getMessage());
  }
}
