package org.facesearch.evaluation.identification;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Generated sections of a markdown page: the text between {@code <!-- generated: ID -->} and {@code
 * <!-- end generated: ID -->} is replaced by each run; everything else on the page (hand written
 * text, other commands' sections) is left as it is. A section not yet on the page is appended; a
 * page that does not exist is created.
 */
public final class DocSections {
  private DocSections() {}

  /** The results page the identification runs write into, below the docs folder. */
  public static final String IDENTIFICATION_PAGE = "results/identification.md";

  static String begin(String id) {
    return "<!-- generated: "
        + id
        + " (written by the command below; edit the command, not this text) -->";
  }

  static String end(String id) {
    return "<!-- end generated: " + id + " -->";
  }

  static void write(Path page, String id, String body) throws IOException {
    String text =
        Files.exists(page) ? Files.readString(page, StandardCharsets.UTF_8) : "# Identification\n";
    Files.writeString(temp(page), replace(text, id, body), StandardCharsets.UTF_8);
    Files.move(
        temp(page), page, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * {@code text} with section {@code id} replaced by (or, when absent, appended as) {@code body}.
   */
  static String replace(String text, String id, String body) {
    String b = begin(id);
    String e = end(id);
    String section = b + "\n" + (body.endsWith("\n") ? body : body + "\n") + e;
    int from = text.indexOf(b);
    if (from < 0) {
      return (text.endsWith("\n") ? text : text + "\n") + "\n" + section + "\n";
    }
    int to = text.indexOf(e, from);
    if (to < 0) {
      throw new IllegalStateException(
          "generated section [" + id + "] has a start marker but no end marker");
    }
    return text.substring(0, from) + section + text.substring(to + e.length());
  }

  private static Path temp(Path page) {
    return page.resolveSibling(page.getFileName() + ".tmp" + ProcessHandle.current().pid());
  }
}
