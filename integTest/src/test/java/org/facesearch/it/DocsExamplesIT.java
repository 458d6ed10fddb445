package org.facesearch.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.facesearch.cli.NodeClient;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized.Parameters;
import org.junit.runners.Parameterized;

/**
 * Runs every {@code ```http} example of docs/*.md against the real node, page by page in the
 * order written, and checks each status: 2xx, or the status of an {@code <!-- expect: N -->}
 * comment on the line before the block, and the hit count of an {@code <!-- expect hits: N -->}
 * comment there (a search's {@code hits.total.value}). In a body, {@code {{base64:PATH}}} stands for the base64
 * of a file under the shared data folder (so pages can show real photos without embedding them).
 */
@RunWith(Parameterized.class)
public class DocsExamplesIT extends RealNodeTestCase {

  private static final Pattern EXPECT = Pattern.compile("<!--\\s*expect:\\s*(\\d{3})\\s*-->");
  private static final Pattern EXPECT_HITS = Pattern.compile("<!--\\s*expect hits:\\s*(\\d+)\\s*-->");
  private static final Pattern DATA_FILE = Pattern.compile("\\{\\{base64:([^}]+)}}");

  /** One example: where it is written, the request and the status it must get. */
  record Example(String where, String method, String path, String body, Integer expectedStatus, Integer expectedHits) {}

  @Parameters(name = "{0}")
  public static List<Object[]> pages() throws IOException {
    Path docs = Path.of(System.getProperty("docs.dir", "../docs"));
    List<Object[]> pages = new ArrayList<>();
    try (Stream<Path> files = Files.list(docs)) {
      files.filter(p -> p.toString().endsWith(".md")).sorted()
          .forEach(p -> pages.add(new Object[] {p.getFileName().toString(), p}));
    }
    assertFalse("no pages under " + docs, pages.isEmpty());
    return pages;
  }

  private final Path page;

  public DocsExamplesIT(String name, Path page) {
    this.page = page;
  }

  @Test
  public void examplesAnswerAsDocumented() throws IOException {
    for (Example example : examples(page)) {
      NodeClient.Answer answer = node.call(example.method(), example.path(), example.body());
      String what = example.where() + " " + example.method() + " " + example.path() + " -> " + answer.text();
      if (example.expectedStatus() != null) {
        assertEquals(what, example.expectedStatus().intValue(), answer.status());
      } else {
        assertEquals(what, 2, answer.status() / 100);
      }
      if (example.expectedHits() != null) {
        assertEquals(what, example.expectedHits().intValue(), answer.body().path("hits").path("total").path("value").asInt(-1));
      }
    }
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
      if (i > 0) {
        Matcher m = EXPECT.matcher(lines.get(i - 1));
        expected = m.find() ? Integer.valueOf(m.group(1)) : null;
        Matcher h = EXPECT_HITS.matcher(lines.get(i - 1));
        hits = h.find() ? Integer.valueOf(h.group(1)) : null;
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
      examples.add(new Example(where, request[0], request[1], text, expected, hits));
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
}
