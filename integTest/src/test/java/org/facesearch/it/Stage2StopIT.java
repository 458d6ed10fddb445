package org.facesearch.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.facesearch.cli.Json;
import org.facesearch.cli.NodeClient;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Stage 2 under hostile parameters, on the real server: a rescore that asks for thousands of
 * log-space Sinkhorn iterations per hit stops at the request's {@code timeout} with what it
 * finished and {@code timed_out: true}, and within a second or two of {@code _tasks/_cancel}; work
 * beyond {@code plugins.face.rescore.max_work}, an epsilon below what double precision resolves and
 * a template beyond {@code plugins.face.query.max_images} are refused with a 400 naming them; every
 * score is in [-1, 1], and a hit whose solve did not converge says so.
 */
public class Stage2StopIT extends RealNodeTestCase {

  private static final String INDEX = "it-stage2";
  private static final int GALLERY = 40;
  private static String photo;

  @BeforeClass
  public static void gallery() throws IOException {
    String pipeline =
        "{\"processors\": [{\"face_embedding\": {\"field\": \"photo\", \"remove_image\": true}}]}";
    assertEquals(200, node.call("PUT", "/_ingest/pipeline/it-stage2", pipeline).status());
    assertEquals(
        200,
        node.call(
                "PUT",
                "/" + INDEX,
                "{\"settings\": {\"number_of_shards\": 1, \"number_of_replicas\": 0},"
                    + " \"mappings\": {\"properties\": {\"face\": {\"type\": \"face\"}}}}")
            .status());
    // The first photo of the first 40 people of LFW: 40 different faces.
    List<Path> people;
    try (Stream<Path> dirs = Files.list(data().resolve("lfw"))) {
      people = dirs.filter(Files::isDirectory).sorted().limit(GALLERY).toList();
    }
    StringBuilder bulk = new StringBuilder();
    for (int i = 0; i < people.size(); i++) {
      Path file = people.get(i).resolve(people.get(i).getFileName() + "_0001.jpg");
      bulk.append(
              "{\"index\": {\"_index\": \""
                  + INDEX
                  + "\", \"_id\": \""
                  + i
                  + "\"}}\n{\"photo\": \"")
          .append(Base64.getEncoder().encodeToString(Files.readAllBytes(file)))
          .append("\"}\n");
    }
    JsonNode answer =
        node.request("POST", "/_bulk?pipeline=it-stage2&refresh=true", bulk.toString());
    assertFalse(answer.toString(), answer.path("errors").asBoolean());
    photo = lfwBase64("Colin_Powell", 1);
    // Encode the query photo once, so that its encoding (cached) is not part of the timings below.
    assertEquals(200, node.call("POST", "/" + INDEX + "/_search", search("", "")).status());
  }

  @AfterClass
  public static void cleanUp() {
    node.call("DELETE", "/" + INDEX);
    node.call("DELETE", "/_ingest/pipeline/it-stage2");
  }

  /**
   * A search of the whole gallery by the photo, with {@code top} before the query and {@code
   * rescore} after it.
   */
  private static String search(String top, String rescore) {
    return "{"
        + top
        + "\"size\": "
        + GALLERY
        + ", \"query\": {\"face\": {\"field\": \"face\", \"image\": \""
        + photo
        + "\", \"k\": "
        + GALLERY
        + ", \"num_candidates\": "
        + GALLERY
        + ", \"on_unrecognizable_query\": \"ignore\"}}"
        + rescore
        + "}";
  }

  /**
   * Log space (epsilon 0.001) and a tolerance no hit reaches: every hit runs 2500 iterations, about
   * a quarter to half a second each on these machines, some 10 to 20 s for the window of 40. Its
   * work, 40 x 2500 x 49 x 49 = 2.4e8, is within the default max_work.
   */
  private static final String HEAVY =
      ", \"rescore\": {\"window_size\": "
          + GALLERY
          + ", \"face_emd\": {\"field\": \"face\", \"max_iterations\": 2500, \"tolerance\": 1e-10, \"epsilon\": 0.001}}";

  private static List<String> ids(JsonNode answer) {
    List<String> ids = new ArrayList<>();
    answer.path("hits").path("hits").forEach(h -> ids.add(h.path("_id").asText()));
    return ids;
  }

  @Test
  public void aTimedOutRescoreReturnsWhatItFinishedFlaggedTimedOut() {
    List<String> stageOne = ids(node.request("POST", "/" + INDEX + "/_search", search("", "")));
    assertEquals(GALLERY, stageOne.size());
    long start = System.nanoTime();
    WarningHeaders.Answer answer =
        WarningHeaders.post(
            node.port(), "/" + INDEX + "/_search", search("\"timeout\": \"1s\", ", HEAVY));
    double seconds = (System.nanoTime() - start) / 1e9;
    assertEquals(answer.text(), 200, answer.status());
    JsonNode body = Json.parse(answer.text());
    assertTrue(answer.text().substring(0, 300), body.path("timed_out").asBoolean());
    // Stage 2 stops at the timeout (1 s after the query phase started) and answers within a
    // solve-check of it.
    assertTrue("answered after " + seconds + " s", seconds < 6);
    String stopped =
        answer.warnings().stream()
            .filter(w -> w.contains("stopped at the request's timeout"))
            .findFirst()
            .orElse(null);
    assertNotNull("warnings " + answer.warnings(), stopped);
    Matcher m = Pattern.compile("after re-scoring (\\d+) of (\\d+) hits").matcher(stopped);
    assertTrue(stopped, m.find());
    int done = Integer.parseInt(m.group(1));
    assertEquals(GALLERY, Integer.parseInt(m.group(2)));
    assertTrue("re-scored " + done, done < GALLERY);
    // What was not re-scored keeps its stage-1 order, below the re-scored hits.
    List<String> all = ids(body);
    assertEquals(GALLERY, all.size());
    List<String> rest = all.subList(done, GALLERY);
    List<String> expected = new ArrayList<>(stageOne);
    expected.removeAll(all.subList(0, done));
    assertEquals(expected, rest);
    // Re-scored in stage-1 order: those done are the best of stage 1.
    assertEquals(
        new java.util.HashSet<>(stageOne.subList(0, done)),
        new java.util.HashSet<>(all.subList(0, done)));
    double last = Double.POSITIVE_INFINITY;
    for (JsonNode hit : body.path("hits").path("hits")) {
      double score = hit.path("_score").asDouble();
      assertTrue(score <= last);
      last = score;
    }
  }

  /** Search tasks on the node: the search and its shard phases. */
  private static List<String> searchTasks() {
    JsonNode tasks = node.request("GET", "/_tasks?actions=indices:data/read/search*");
    List<String> ids = new ArrayList<>();
    tasks
        .path("nodes")
        .forEach(n ->
            n.path("tasks")
                .fields()
                .forEachRemaining(
                    t -> ids.add(t.getKey() + " " + t.getValue().path("action").asText())));
    return ids;
  }

  @Test
  public void aCancelledRescoreStopsWithinSeconds() throws Exception {
    CompletableFuture<NodeClient.Answer> running =
        CompletableFuture.supplyAsync(
            () -> node.call("POST", "/" + INDEX + "/_search", search("", HEAVY)));
    String parent = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (parent == null && System.nanoTime() < deadline) {
      for (String task : searchTasks()) {
        if (task.endsWith(" indices:data/read/search")) {
          parent = task.substring(0, task.indexOf(' '));
        }
      }
      Thread.sleep(100);
    }
    assertNotNull("the search never showed up in _tasks", parent);
    // Let stage 2 get well into its window (stage 1 and the first solves take well under a second).
    Thread.sleep(1500);
    assertFalse("the search ended before it could be cancelled", running.isDone());
    JsonNode cancelled = node.request("POST", "/_tasks/" + parent + "/_cancel");
    assertTrue(
        cancelled.toString(),
        cancelled.toString().contains(parent.substring(parent.indexOf(':') + 1)));
    long cancelledAt = System.nanoTime();
    while (!searchTasks().isEmpty()) {
      assertTrue(
          "search tasks still running "
              + (System.nanoTime() - cancelledAt) / 1e9
              + " s after the cancel: "
              + searchTasks(),
          System.nanoTime() - cancelledAt < TimeUnit.SECONDS.toNanos(5));
      Thread.sleep(100);
    }
    NodeClient.Answer answer = running.get(10, TimeUnit.SECONDS);
    // OpenSearch answers every cancelled search with task_cancelled_exception.
    assertTrue(answer.text(), answer.text().contains("task_cancelled_exception"));
    assertEquals(200, node.call("GET", "/_cluster/health").status());
  }

  @Test
  public void workBeyondTheNodeBoundIsRefusedNamingTheSetting() {
    String huge =
        ", \"rescore\": {\"window_size\": 10000, \"face_emd\": {\"field\": \"face\", \"max_iterations\": 10000}}";
    NodeClient.Answer answer = node.call("POST", "/" + INDEX + "/_search", search("", huge));
    assertEquals(answer.text(), 400, answer.status());
    String reason = answer.body().path("error").path("reason").asText();
    assertTrue(reason, reason.contains("[plugins.face.rescore.max_work]"));
    assertTrue(reason, reason.contains("[window_size] 10000 x [max_iterations] 10000 x 49 x 49"));
    // The bound is the setting's: lowered below the default request (100 x 100 x 49 x 49), the
    // default request is refused.
    String defaults = ", \"rescore\": {\"face_emd\": {\"field\": \"face\"}}";
    assertEquals(200, node.call("POST", "/" + INDEX + "/_search", search("", defaults)).status());
    node.request(
        "PUT",
        "/_cluster/settings",
        "{\"transient\": {\"plugins.face.rescore.max_work\": 1000000}}");
    try {
      NodeClient.Answer refused = node.call("POST", "/" + INDEX + "/_search", search("", defaults));
      assertEquals(refused.text(), 400, refused.status());
      assertTrue(
          refused.text(),
          refused
              .body()
              .path("error")
              .path("reason")
              .asText()
              .contains("[plugins.face.rescore.max_work]"));
    } finally {
      node.request(
          "PUT",
          "/_cluster/settings",
          "{\"transient\": {\"plugins.face.rescore.max_work\": null}}");
    }
    assertEquals(200, node.call("POST", "/" + INDEX + "/_search", search("", defaults)).status());
  }

  @Test
  public void anEpsilonDoublePrecisionCannotResolveIsRefused() {
    for (String options :
        List.of(
            "\"epsilon\": 1e-30",
            "\"epsilon\": 0.001, \"tolerance\": 1e-300",
            "\"epsilon\": 1e-12")) {
      NodeClient.Answer answer =
          node.call(
              "POST",
              "/" + INDEX + "/_search",
              search("", ", \"rescore\": {\"face_emd\": {\"field\": \"face\", " + options + "}}"));
      assertEquals(options + ": " + answer.text(), 400, answer.status());
      String reason = answer.body().path("error").path("reason").asText();
      assertTrue(reason, reason.contains("[epsilon]") && reason.contains("[tolerance]"));
    }
  }

  @Test
  public void everyScoreIsInRangeAndConvergedOrFlagged() {
    // Three iterations at epsilon 0.001 cannot converge; flows: 1 reports each hit's solve.
    String unfinished =
        ", \"rescore\": {\"window_size\": "
            + GALLERY
            + ", \"face_emd\": {\"field\": \"face\", \"epsilon\": 0.001, \"max_iterations\": 3, \"flows\": 1}}";
    String defaults =
        ", \"rescore\": {\"window_size\": "
            + GALLERY
            + ", \"face_emd\": {\"field\": \"face\", \"flows\": 1}}";
    for (String rescore : List.of(unfinished, defaults)) {
      WarningHeaders.Answer answer =
          WarningHeaders.post(node.port(), "/" + INDEX + "/_search", search("", rescore));
      assertEquals(answer.text(), 200, answer.status());
      JsonNode hits = Json.parse(answer.text()).path("hits").path("hits");
      assertEquals(GALLERY, hits.size());
      int notConverged = 0;
      for (JsonNode hit : hits) {
        double score = hit.path("_score").asDouble();
        assertTrue(hit.toString(), score >= -1 && score <= 1);
        JsonNode terms = hit.path("fields").path("_face_emd").get(0);
        assertTrue(hit.toString(), terms.path("converged").isBoolean());
        if (!terms.path("converged").asBoolean()) {
          notConverged++;
        }
        assertEquals(score, terms.path("score").asDouble(), 1e-6);
      }
      String flag =
          answer.warnings().stream()
              .filter(w -> w.contains("did not converge"))
              .findFirst()
              .orElse(null);
      if (notConverged > 0) {
        assertNotNull("unconverged hits without a warning: " + answer.warnings(), flag);
        assertTrue(
            flag,
            flag.contains(
                String.format(Locale.ROOT, "for %d of %d re-scored hits", notConverged, GALLERY)));
      } else {
        assertEquals(null, flag);
      }
      if (rescore.equals(unfinished)) {
        assertEquals(GALLERY, notConverged);
      } else {
        // Real faces converge at the defaults (docs/results/stage-two.md).
        assertEquals(0, notConverged);
      }
    }
  }

  @Test
  public void aTemplateBeyondTheNodeBoundIsRefusedNamingTheSetting() {
    StringBuilder images = new StringBuilder();
    for (int i = 0; i < 33; i++) {
      images.append(i == 0 ? "" : ", ").append('"').append(photo).append('"');
    }
    String query = "{\"query\": {\"face\": {\"field\": \"face\", \"images\": [" + images + "]}}}";
    NodeClient.Answer answer = node.call("POST", "/" + INDEX + "/_search", query);
    assertEquals(answer.text(), 400, answer.status());
    String reason = answer.body().path("error").path("reason").asText();
    assertTrue(
        reason,
        reason.contains("[images] holds 33 photos")
            && reason.contains("[plugins.face.query.max_images]"));
    // The same bound for the rescorer's own images, and it follows the setting.
    node.request(
        "PUT", "/_cluster/settings", "{\"transient\": {\"plugins.face.query.max_images\": 2}}");
    try {
      String three =
          "{\"query\": {\"match_all\": {}}, \"rescore\": {\"face_emd\": {\"field\": \"face\", \"images\": [\""
              + photo
              + "\", \""
              + photo
              + "\", \""
              + photo
              + "\"]}}}";
      NodeClient.Answer refused = node.call("POST", "/" + INDEX + "/_search", three);
      assertEquals(refused.text(), 400, refused.status());
      assertTrue(
          refused.text(),
          refused
              .body()
              .path("error")
              .path("reason")
              .asText()
              .contains("[plugins.face.query.max_images]"));
      String two =
          "{\"query\": {\"face\": {\"field\": \"face\", \"images\": [\""
              + photo
              + "\", \""
              + photo
              + "\"]}}}";
      assertEquals(200, node.call("POST", "/" + INDEX + "/_search", two).status());
    } finally {
      node.request(
          "PUT",
          "/_cluster/settings",
          "{\"transient\": {\"plugins.face.query.max_images\": null}}");
    }
  }
}
