package org.facesearch.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.junit.Assume.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.facesearch.cli.NodeClient;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * Runs the {@code ```http} examples of every page under docs/ against the real node, each page on
 * its own, in the order written, and checks each status: 2xx, or the status of an {@code <!--
 * expect: N -->} comment on the line before the block; an {@code <!-- expect hits: N -->} comment
 * there also checks a search's {@code hits.total.value}, and {@code <!-- expect first hit: ID -->}
 * the {@code _id} of its first hit. In a body, {@code {{base64:PATH}}} stands for the base64 of a
 * file under the shared data folder (so pages can show real photos without embedding them).
 *
 * <p>Pages are independent: every index and ingest pipeline a page creates must be named after the
 * page ({@code query.md} creates {@code query} or {@code query-*}), whatever a page leaves behind
 * is deleted once it has run, and a page must leave the cluster settings as it found them. So no
 * page can use what another created, and each passes alone and in any order. {@code
 * -Ddocs.page=a.md,b.md} runs only those pages; {@code -Ddocs.order=reverse} runs them in reverse
 * order.
 *
 * <p>Every page, with or without examples, is also checked for its links: each relative link names
 * a file inside the repository, and each {@code #anchor} a heading of the page it points to.
 */
@RunWith(Parameterized.class)
public class DocsExamplesIT extends RealNodeTestCase {

  private static final Pattern EXPECT = Pattern.compile("<!--\\s*expect:\\s*(\\d{3})\\s*-->");
  private static final Pattern EXPECT_HITS =
      Pattern.compile("<!--\\s*expect hits:\\s*(\\d+)\\s*-->");
  private static final Pattern EXPECT_FIRST =
      Pattern.compile("<!--\\s*expect first hit:\\s*(\\S+)\\s*-->");
  private static final Pattern DATA_FILE = Pattern.compile("\\{\\{base64:([^}]+)}}");

  /** A markdown link or image: {@code [text](target)} or {@code ![alt](target)}. */
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

  private static final Pattern HISTORY =
      Pattern.compile("\\b[Ii]ssue [0-9]+\\b|\\b[Ss]ession [0-9]+\\b");

  /** One example: where it is written, the request and the status it must get. */
  record Example(
      String where,
      String method,
      String path,
      String body,
      Integer expectedStatus,
      Integer expectedHits,
      String expectedFirstHit) {}

  private static Path docs() {
    return Path.of(System.getProperty("docs.dir", "../docs")).toAbsolutePath().normalize();
  }

  @Parameters(name = "{0}")
  public static List<Object[]> pages() throws IOException {
    Path docs = docs();
    Set<String> only = new TreeSet<>();
    for (String name : System.getProperty("docs.page", "").split(",")) {
      if (!name.isBlank()) {
        only.add(name.trim());
      }
    }
    List<Object[]> pages = new ArrayList<>();
    try (Stream<Path> files = Files.walk(docs)) {
      files
          .filter(p -> p.toString().endsWith(".md"))
          .sorted()
          .forEach(p -> {
            String name = docs.relativize(p).toString().replace('\\', '/');
            if (only.isEmpty() || only.contains(name)) {
              pages.add(new Object[] {name, p});
            }
          });
    }
    assertFalse("no pages under " + docs, pages.isEmpty());
    if (!only.isEmpty()) {
      assertEquals(
          "-Ddocs.page names pages that do not exist under " + docs + ": " + only,
          only.size(),
          pages.size());
    }
    if ("reverse".equals(System.getProperty("docs.order"))) {
      Collections.reverse(pages);
    }
    return pages;
  }

  private final String name;
  private final Path page;

  public DocsExamplesIT(String name, Path page) {
    this.name = name;
    this.page = page;
  }

  @Test
  public void examplesAnswerAsDocumented() throws IOException {
    List<Example> examples = examples(page);
    assumeFalse(name + " has no examples to run (its links are checked)", examples.isEmpty());
    String prefix = prefix(name);
    NodeState before = NodeState.read();
    Set<String> created = new TreeSet<>();
    List<String> cleanUpFailures;
    try {
      for (Example example : examples) {
        NodeClient.Answer answer = node.call(example.method(), example.path(), example.body());
        String what =
            example.where()
                + " "
                + example.method()
                + " "
                + example.path()
                + " -> "
                + answer.text();
        if (example.expectedStatus() != null) {
          assertEquals(what, example.expectedStatus().intValue(), answer.status());
        } else {
          assertEquals(what, 2, answer.status() / 100);
        }
        if (example.expectedHits() != null) {
          assertEquals(
              what,
              example.expectedHits().intValue(),
              answer.body().path("hits").path("total").path("value").asInt(-1));
        }
        if (example.expectedFirstHit() != null) {
          assertEquals(
              what,
              example.expectedFirstHit(),
              answer.body().path("hits").path("hits").path(0).path("_id").asText(null));
        }
        NodeState now = NodeState.read();
        for (String made : now.newSince(before)) {
          assertTrue(
              example.where()
                  + " created ["
                  + made
                  + "]; what "
                  + name
                  + " creates must be named ["
                  + prefix
                  + "] or ["
                  + prefix
                  + "-...] so that no other page can depend on it or collide with it",
              made.equals(prefix) || made.startsWith(prefix + "-"));
          created.add(made);
        }
      }
    } finally {
      cleanUpFailures = NodeState.read().cleanUpSince(before);
    }
    assertEquals("could not delete what " + name + " left behind", List.of(), cleanUpFailures);
    NodeState after = NodeState.read();
    assertEquals(
        name
            + " must leave the node's indices and pipelines as it found them (left behind: "
            + created
            + ")",
        before.names(),
        after.names());
    assertEquals(
        name + " must leave the cluster settings as it found them",
        before.clusterSettings(),
        after.clusterSettings());
  }

  @Test
  public void linksStayInsideTheRepository() throws IOException {
    Path repository = docs().getParent();
    List<String> lines = Files.readAllLines(page);
    boolean inCode = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.trim().startsWith("```")) {
        inCode = !inCode;
        continue;
      }
      String where = name + ":" + (i + 1);
      Matcher history = HISTORY.matcher(line);
      if (history.find()) {
        fail(
            where
                + " tells history (\""
                + history.group()
                + "\"): say what was measured, not in which issue or session");
      }
      if (inCode) {
        continue;
      }
      Matcher m = LINK.matcher(line);
      while (m.find()) {
        String target = m.group(1);
        if (target.matches("[a-z]+:.*")) {
          continue; // http:, https:, mailto:
        }
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        assertTrue(
            where + " links to [" + target + "], outside the repository " + repository,
            resolved.startsWith(repository));
        assertTrue(
            where + " links to [" + target + "], which does not exist", Files.exists(resolved));
        if (anchor != null && resolved.toString().endsWith(".md")) {
          Set<String> anchors = anchors(resolved);
          assertTrue(
              where
                  + " links to ["
                  + target
                  + "], but "
                  + resolved.getFileName()
                  + " has no heading [#"
                  + anchor
                  + "]; its headings: "
                  + anchors,
              anchors.contains(anchor));
        }
      }
    }
  }

  /** The name every index and pipeline of a page starts with: its file name without {@code .md}. */
  static String prefix(String pageName) {
    String file = pageName.substring(pageName.lastIndexOf('/') + 1);
    return file.substring(0, file.length() - ".md".length()).toLowerCase(Locale.ROOT);
  }

  /** The anchors of a page's headings, as GitHub makes them. */
  static Set<String> anchors(Path page) throws IOException {
    Set<String> anchors = new TreeSet<>();
    boolean inCode = false;
    for (String line : Files.readAllLines(page)) {
      if (line.trim().startsWith("```")) {
        inCode = !inCode;
        continue;
      }
      if (inCode || !line.startsWith("#")) {
        continue;
      }
      String text = line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT);
      String slug = text.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
      String unique = slug;
      for (int n = 1; anchors.contains(unique); n++) {
        unique = slug + "-" + n;
      }
      anchors.add(unique);
    }
    return anchors;
  }

  static List<Example> examples(Path page) throws IOException {
    List<String> lines = Files.readAllLines(page);
    List<Example> examples = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).trim().equals("```http")) {
        continue;
      }
      Integer expected = null;
      Integer hits = null;
      String first = null;
      if (i > 0) {
        Matcher m = EXPECT.matcher(lines.get(i - 1));
        expected = m.find() ? Integer.valueOf(m.group(1)) : null;
        Matcher h = EXPECT_HITS.matcher(lines.get(i - 1));
        hits = h.find() ? Integer.valueOf(h.group(1)) : null;
        Matcher f = EXPECT_FIRST.matcher(lines.get(i - 1));
        first = f.find() ? f.group(1) : null;
      }
      String where = page.getFileName() + ":" + (i + 1);
      String[] request = lines.get(i + 1).trim().split("\\s+", 2);
      StringBuilder body = new StringBuilder();
      int j = i + 2;
      for (; j < lines.size() && !lines.get(j).trim().equals("```"); j++) {
        body.append(lines.get(j)).append('\n');
      }
      i = j;
      String text = body.isEmpty() ? null : withDataFiles(body.toString());
      examples.add(new Example(where, request[0], request[1], text, expected, hits, first));
    }
    return examples;
  }

  private static String withDataFiles(String body) throws IOException {
    Path data = data();
    Matcher m = DATA_FILE.matcher(body);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      byte[] bytes = Files.readAllBytes(data.resolve(m.group(1)));
      m.appendReplacement(out, Base64.getEncoder().encodeToString(bytes));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * What a page can leave behind on the node: its indices (hidden and dot-named ones aside), its
   * ingest pipelines and the cluster settings.
   */
  record NodeState(Set<String> indices, Set<String> pipelines, JsonNode clusterSettings) {

    static NodeState read() {
      NodeClient.Answer indices =
          node.call("GET", "/_cat/indices?format=json&h=index&expand_wildcards=open,closed");
      assertEquals(indices.text(), 200, indices.status());
      Set<String> indexNames = new TreeSet<>();
      // Dot-named indices belong to the node and its plugins, not to a page.
      indices
          .body()
          .forEach(row -> {
            String index = row.path("index").asText();
            if (!index.startsWith(".")) {
              indexNames.add(index);
            }
          });
      NodeClient.Answer pipelines = node.call("GET", "/_ingest/pipeline");
      Set<String> pipelineNames = new TreeSet<>();
      if (pipelines.status() != 404) { // no pipeline at all
        assertEquals(pipelines.text(), 200, pipelines.status());
        for (Iterator<String> it = pipelines.body().fieldNames(); it.hasNext(); ) {
          pipelineNames.add(it.next());
        }
      }
      NodeClient.Answer settings = node.call("GET", "/_cluster/settings");
      assertEquals(settings.text(), 200, settings.status());
      return new NodeState(indexNames, pipelineNames, settings.body());
    }

    /** Every index and pipeline, as {@code index NAME} and {@code pipeline NAME}. */
    Set<String> names() {
      Set<String> all = new TreeSet<>();
      indices.forEach(i -> all.add("index " + i));
      pipelines.forEach(p -> all.add("pipeline " + p));
      return all;
    }

    /** Names of the indices and pipelines that exist now and did not in {@code earlier}. */
    Set<String> newSince(NodeState earlier) {
      Set<String> made = new TreeSet<>();
      indices.stream().filter(i -> !earlier.indices.contains(i)).forEach(made::add);
      pipelines.stream().filter(p -> !earlier.pipelines.contains(p)).forEach(made::add);
      return made;
    }

    /**
     * Deletes the indices and pipelines that exist now and did not in {@code earlier}; returns what
     * could not be deleted, with the node's answer (not thrown: a failing page's own error comes
     * first).
     */
    List<String> cleanUpSince(NodeState earlier) {
      List<String> failures = new ArrayList<>();
      for (String index : indices) {
        if (!earlier.indices.contains(index)) {
          NodeClient.Answer deleted = node.call("DELETE", "/" + index);
          if (deleted.status() != 200) {
            failures.add("index [" + index + "]: " + deleted.text());
          }
        }
      }
      for (String pipeline : pipelines) {
        if (!earlier.pipelines.contains(pipeline)) {
          NodeClient.Answer deleted = node.call("DELETE", "/_ingest/pipeline/" + pipeline);
          if (deleted.status() != 200) {
            failures.add("pipeline [" + pipeline + "]: " + deleted.text());
          }
        }
      }
      return failures;
    }
  }
}
