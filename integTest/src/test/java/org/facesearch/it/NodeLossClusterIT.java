package org.facesearch.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.facesearch.cli.NodeClient;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Losing nodes while photos are indexed and searched: a data node holding primaries killed (kill
 * -9) during a {@code _bulk} and during searches with stage 2, the inference node killed in the
 * middle of a bulk request, and a rolling restart of all three nodes under load. Every acknowledged
 * document must be there afterwards, the index must give the single node's hits and scores, and
 * every search answered while nodes were missing must carry only right scores (a score is a
 * function of the document and the query face, so each hit can be checked against the single node's
 * score for it, also when {@code _shards.failed} says some shards did not answer).
 */
public class NodeLossClusterIT extends ClusterTestCase {

  private static final int PHOTOS = 150;
  private static final String REFERENCE = "loss-reference";
  private static final String PIPELINE = "loss-photos";
  private static final float SAME_COMPUTATION = 1e-6f;

  private static List<Photo> photos;
  private static List<Photo> queries;

  /** Per query (its index in {@link #queries}), every document's final score on the single node. */
  private static List<Map<String, Float>> referenceScores;

  private static List<List<Hit>> referenceRankings;

  @BeforeClass
  public static void reference() {
    List<String> people = lfwPeople(PHOTOS, 2);
    photos = new ArrayList<>();
    queries = new ArrayList<>();
    for (int i = 0; i < people.size(); i++) {
      photos.add(new Photo(people.get(i), 1));
      if (i % 37 == 5) {
        queries.add(new Photo(people.get(i), 2));
      }
    }
    putPipeline(single, PIPELINE);
    createIndex(single, REFERENCE, 1, 0);
    JsonNode answer =
        single.request(
            "POST", "/_bulk?pipeline=" + PIPELINE + "&refresh=true", bulkBody(REFERENCE, photos));
    assertFalse(answer.toString().substring(0, 500), answer.path("errors").asBoolean());
    referenceScores = new ArrayList<>();
    referenceRankings = new ArrayList<>();
    for (Photo q : queries) {
      List<Hit> ranking = hits(single.request("POST", "/" + REFERENCE + "/_search", search(q)));
      assertEquals(PHOTOS, ranking.size());
      Map<String, Float> scores = new HashMap<>();
      ranking.forEach(h -> scores.put(h.id(), h.score()));
      referenceScores.add(scores);
      referenceRankings.add(ranking);
    }
    putPipeline(node(1), PIPELINE);
  }

  /**
   * Both stages over every document: k and window cover the gallery, so every hit's score is its
   * exact two-stage score.
   */
  private static String search(Photo q) {
    return searchBody(q.base64(), PHOTOS, PHOTOS);
  }

  @Test
  public void killingADataNodeHoldingPrimariesDuringABulkAndSearchesLosesNoAcknowledgedDocument()
      throws Exception {
    String index = "loss-data-node";
    createIndex(node(1), index, 3, 1);
    waitForGreen(1);
    Indexer indexer = new Indexer(index, List.of(1), 10, false);
    Searcher searcher = new Searcher(index, List.of(1));
    indexer.start();
    searcher.start();
    waitUntil(
        "a third of the photos acknowledged",
        () -> indexer.acknowledged.size() >= PHOTOS / 3 || !indexer.isAlive());
    int victim = dataNodeWithAPrimary(index);
    nodeScript("kill", victim);
    long searchesAtKill = searcher.answered.get();
    indexer.join(600_000);
    assertFalse("the indexer finished its pass", indexer.isAlive());

    // The survivor holds every shard as a primary: the replicas were promoted.
    JsonNode health =
        node(1)
            .request(
                "GET",
                "/_cluster/health/"
                    + index
                    + "?wait_for_status=yellow&wait_for_nodes=2&timeout=120s");
    assertEquals(health.toString(), 3, health.path("active_primary_shards").asInt());
    int survivor = victim == 2 ? 3 : 2;
    for (JsonNode shard :
        node(1)
            .request("GET", "/_cat/shards/" + index + "?format=json&h=shard,prirep,state,node")) {
      if (shard.path("prirep").asText().equals("p")) {
        assertEquals(shard.toString(), "node-" + survivor, shard.path("node").asText());
        assertEquals(shard.toString(), "STARTED", shard.path("state").asText());
      }
    }
    waitUntil(
        "searches answered with a node missing",
        () -> searcher.answered.get() >= searchesAtKill + 5);
    nodeScript("start-node", victim);
    waitForGreen(1);
    searcher.finish();

    assertNothingLost(index, indexer.acknowledged, 1);
    searcher.assertOnlyRightScores();
  }

  @Test
  public void losingTheInferenceNodeMidBulkGivesPerItemErrorsThatARetrySucceeds() throws Exception {
    String index = "loss-inference-node";
    createIndex(node(2), index, 3, 1);
    waitForGreen(2);
    List<Photo> first = photos.subList(0, 100);
    List<Photo> second = photos.subList(100, PHOTOS);
    long imagesBefore = modelStats(node(2)).get("node-1").path("images").asLong();
    List<NodeClient.Answer> firstAnswer = new CopyOnWriteArrayList<>();
    Thread bulk =
        new Thread(() ->
            firstAnswer.add(
                node(2).call("POST", "/_bulk?pipeline=" + PIPELINE, bulkBody(index, first))));
    bulk.start();
    // Kill the inference node once it has encoded a few photos of the request, long before all.
    waitUntil(
        "node-1 encoding the bulk",
        () -> modelStats(node(2)).get("node-1").path("images").asLong() >= imagesBefore + 3);
    nodeScript("kill", INFERENCE_NODE);
    bulk.join(300_000);
    assertEquals(1, firstAnswer.size());
    Map<String, String> failed = new HashMap<>();
    assertEveryItemFailedRetryably("the bulk in flight", firstAnswer.get(0), first.size(), failed);

    // With the inference node gone, a bulk sent to a data node fails item by item too.
    NodeClient.Answer whileDown =
        node(3).call("POST", "/_bulk?pipeline=" + PIPELINE, bulkBody(index, second));
    assertEveryItemFailedRetryably(
        "a bulk while the inference node is down", whileDown, second.size(), failed);

    nodeScript("start-node", INFERENCE_NODE);
    waitForGreen(2);
    // The client's retry: the failed items, again.
    List<Photo> retry = photos.stream().filter(p -> failed.containsKey(p.id())).toList();
    assertEquals(PHOTOS, retry.size());
    JsonNode answer =
        node(2)
            .request(
                "POST", "/_bulk?pipeline=" + PIPELINE + "&refresh=true", bulkBody(index, retry));
    assertFalse(answer.toString().substring(0, 500), answer.path("errors").asBoolean());
    Set<String> acknowledged = new HashSet<>();
    itemStatuses(answer)
        .forEach((id, status) -> {
          if (status == 200 || status == 201) {
            acknowledged.add(id);
          }
        });
    assertEquals(PHOTOS, acknowledged.size());
    assertNothingLost(index, acknowledged, 2);
  }

  @Test
  public void aRollingRestartOfAllThreeNodesUnderLoadLosesNothing() throws Exception {
    String index = "loss-rolling";
    createIndex(node(2), index, 3, 1);
    waitForGreen(2);
    Indexer indexer = new Indexer(index, List.of(2, 3, 1), 10, true);
    Searcher searcher = new Searcher(index, List.of(1, 2, 3));
    indexer.start();
    searcher.start();
    waitUntil(
        "a first pass over the photos", () -> indexer.passes.get() >= 1 || !indexer.isAlive());
    for (int i = 1; i <= NODES; i++) {
      int live = i == NODES ? 1 : i + 1;
      // The documented procedure: only primaries are allocated while a node is away, then
      // everything again.
      node(live)
          .request(
              "PUT",
              "/_cluster/settings",
              "{\"persistent\": {\"cluster.routing.allocation.enable\": \"primaries\"}}");
      node(live).call("POST", "/_flush");
      long written = indexer.itemsAnswered.get();
      long searched = searcher.answered.get();
      nodeScript("restart-node", i);
      node(live)
          .request(
              "PUT",
              "/_cluster/settings",
              "{\"persistent\": {\"cluster.routing.allocation.enable\": null}}");
      waitForGreen(live);
      waitUntil(
          "indexing and searching went on through the restart of node-" + i,
          () ->
              indexer.itemsAnswered.get() > written + 10 && searcher.answered.get() > searched + 3);
    }
    indexer.finish();
    searcher.finish();
    assertTrue(
        "the load ran during the restarts: " + indexer.passes.get() + " passes",
        indexer.passes.get() >= 2);
    assertNothingLost(index, indexer.acknowledged, 2);
    searcher.assertOnlyRightScores();
  }

  /** Every item of a bulk answer failed with 503 and a reason a client can act on. */
  private static void assertEveryItemFailedRetryably(
      String what, NodeClient.Answer answer, int items, Map<String, String> failed) {
    assertEquals(
        what + ": " + answer.text().substring(0, Math.min(600, answer.text().length())),
        200,
        answer.status());
    assertTrue(what, answer.body().path("errors").asBoolean());
    assertEquals(what, items, answer.body().path("items").size());
    for (JsonNode item : answer.body().path("items")) {
      JsonNode op = item.path("index");
      assertEquals(what + ": " + op, 503, op.path("status").asInt());
      String reason = op.path("error").path("reason").asText();
      assertTrue(
          what + ": " + reason, reason.contains("ingest node") && reason.contains("send it again"));
      failed.put(op.path("_id").asText(), reason);
    }
  }

  /**
   * Items the client never saw acknowledged are sent again; then every photo is there, and the
   * index answers as the single node does.
   */
  private static void assertNothingLost(String index, Set<String> acknowledged, int via) {
    List<Photo> missing = photos.stream().filter(p -> !acknowledged.contains(p.id())).toList();
    if (!missing.isEmpty()) {
      JsonNode answer =
          node(via).request("POST", "/_bulk?pipeline=" + PIPELINE, bulkBody(index, missing));
      assertFalse(
          "the retry of the unacknowledged items: " + answer.toString().substring(0, 500),
          answer.path("errors").asBoolean());
    }
    node(via).request("POST", "/" + index + "/_refresh");
    // Every acknowledged document (and every retried one) is found, by id, on its shards.
    StringBuilder ids = new StringBuilder("{\"ids\": [");
    for (int i = 0; i < photos.size(); i++) {
      ids.append(i == 0 ? "" : ", ").append('"').append(photos.get(i).id()).append('"');
    }
    JsonNode docs =
        node(via)
            .request("POST", "/" + index + "/_mget?_source=false", ids.append("]}").toString())
            .path("docs");
    List<String> lost = new ArrayList<>();
    for (JsonNode d : docs) {
      if (!d.path("found").asBoolean()) {
        lost.add(d.path("_id").asText());
      }
    }
    List<String> lostAcknowledged = lost.stream().filter(acknowledged::contains).toList();
    assertEquals("acknowledged documents lost", List.of(), lostAcknowledged);
    assertEquals("documents missing after the retry", List.of(), lost);
    assertEquals(PHOTOS, node(via).request("GET", "/" + index + "/_count").path("count").asInt());
    // The whole ranking of every query, through every node, is the single node's.
    for (int q = 0; q < queries.size(); q++) {
      for (int n = 1; n <= NODES; n++) {
        JsonNode answer = node(n).request("POST", "/" + index + "/_search", search(queries.get(q)));
        assertEquals(0, answer.path("_shards").path("failed").asInt());
        assertSameRanking(
            index + " via node-" + n + ", query " + queries.get(q).id(),
            referenceRankings.get(q),
            hits(answer),
            SAME_COMPUTATION);
      }
    }
  }

  /** The data node that holds at least one primary of {@code index}. */
  private static int dataNodeWithAPrimary(String index) {
    for (JsonNode shard :
        node(1)
            .request("GET", "/_cat/shards/" + index + "?format=json&h=shard,prirep,state,node")) {
      if (shard.path("prirep").asText().equals("p")) {
        return Integer.parseInt(shard.path("node").asText().substring("node-".length()));
      }
    }
    throw new AssertionError("no primary of " + index);
  }

  private static void waitUntil(String what, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + 600_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("waited 10 minutes for " + what);
      }
      Thread.sleep(50);
    }
  }

  /**
   * A bulk client: sends the photos in batches to the first of its nodes that answers (the next one
   * when a connection fails), and keeps, by id, the items the cluster acknowledged (200 or 201) and
   * the last failure of the others. {@code repeat}: pass after pass until {@link #finish}.
   */
  private static final class Indexer extends Thread {
    final String index;
    final List<Integer> nodes;
    final int batch;
    final boolean repeat;
    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    final Map<String, String> failures = new ConcurrentHashMap<>();
    final AtomicInteger passes = new AtomicInteger();
    final AtomicLong itemsAnswered = new AtomicLong();
    final List<Throwable> crashed = new CopyOnWriteArrayList<>();
    private volatile boolean stop;
    private int route;

    Indexer(String index, List<Integer> nodes, int batch, boolean repeat) {
      super("indexer-" + index);
      this.index = index;
      this.nodes = nodes;
      this.batch = batch;
      this.repeat = repeat;
    }

    @Override
    public void run() {
      try {
        do {
          for (int from = 0; from < photos.size() && !stop; from += batch) {
            send(photos.subList(from, Math.min(photos.size(), from + batch)));
          }
          passes.incrementAndGet();
        } while (repeat && !stop);
      } catch (RuntimeException | Error e) {
        crashed.add(e);
      }
    }

    private void send(List<Photo> part) {
      NodeClient.Answer answer;
      try {
        answer =
            node(nodes.get(route))
                .call("POST", "/_bulk?pipeline=" + PIPELINE, bulkBody(index, part));
      } catch (UncheckedIOException e) {
        // The node went away while we talked to it: the outcome is unknown; the next node takes the
        // next batch.
        part.forEach(p -> failures.put(p.id(), "no answer: " + e.getCause()));
        route = (route + 1) % nodes.size();
        return;
      }
      if (answer.status() != 200) {
        part.forEach(p -> failures.put(p.id(), "HTTP " + answer.status() + ": " + answer.text()));
        return;
      }
      for (JsonNode item : answer.body().path("items")) {
        JsonNode op = item.path("index");
        String id = op.path("_id").asText();
        int status = op.path("status").asInt();
        if (status == 200 || status == 201) {
          acknowledged.add(id);
        } else {
          failures.put(id, status + ": " + op.path("error").path("reason").asText());
        }
        itemsAnswered.incrementAndGet();
      }
      if (repeat) {
        pause(200);
      }
    }

    void finish() throws InterruptedException {
      stop = true;
      join(600_000);
      assertFalse(isAlive());
      assertEquals("the indexer's own failures", List.of(), crashed);
    }
  }

  /**
   * A search client: both stages over the whole index, query after query, through the first of its
   * nodes that answers. Every hit's score must be the single node's score for that document and
   * query, whether or not all shards answered. Every answer must be 200, with one exception that
   * OpenSearch itself makes: a search whose query phase ran on a node that is gone by its fetch
   * phase fails as a whole (HTTP 500, phase {@code fetch}, the node not connected), because the
   * fetch is not moved to another copy. A client retries it, as this one does at once: the retry
   * must be answered, with the right scores.
   */
  private static final class Searcher extends Thread {
    final String index;
    final List<Integer> nodes;
    final AtomicLong answered = new AtomicLong();
    final AtomicLong partial = new AtomicLong();
    final AtomicLong unreachable = new AtomicLong();
    final AtomicLong fetchFailures = new AtomicLong();
    final List<String> wrong = Collections.synchronizedList(new ArrayList<>());
    final List<Throwable> crashed = new CopyOnWriteArrayList<>();
    private volatile boolean stop;
    private int route;

    Searcher(String index, List<Integer> nodes) {
      super("searcher-" + index);
      this.index = index;
      this.nodes = nodes;
    }

    @Override
    public void run() {
      try {
        for (int i = 0; !stop; i++) {
          int q = i % queries.size();
          NodeClient.Answer answer;
          try {
            answer =
                node(nodes.get(route))
                    .call("POST", "/" + index + "/_search", search(queries.get(q)));
          } catch (UncheckedIOException e) {
            unreachable.incrementAndGet();
            route = (route + 1) % nodes.size();
            continue;
          }
          if (answer.status() != 200) {
            if (!lostInFetchPhase(answer) || fetchFailures.incrementAndGet() > 20) {
              wrong.add(
                  "query "
                      + q
                      + " via node-"
                      + nodes.get(route)
                      + ": HTTP "
                      + answer.status()
                      + " "
                      + answer.text());
            }
            i--; // the same query again
            pause(200);
            continue;
          }
          answered.incrementAndGet();
          if (answer.body().path("_shards").path("failed").asInt() > 0) {
            partial.incrementAndGet();
          }
          for (Hit hit : hits(answer.body())) {
            Float expected = referenceScores.get(q).get(hit.id());
            if (expected == null || Math.abs(expected - hit.score()) > SAME_COMPUTATION) {
              wrong.add(
                  "query "
                      + q
                      + ", hit "
                      + hit.id()
                      + ": score "
                      + hit.score()
                      + ", single node "
                      + expected);
            }
          }
          pause(100);
        }
      } catch (RuntimeException | Error e) {
        crashed.add(e);
      }
    }

    void finish() throws InterruptedException {
      stop = true;
      join(600_000);
      assertFalse(isAlive());
    }

    void assertOnlyRightScores() {
      assertEquals("the searcher's own failures", List.of(), crashed);
      assertTrue("searches were answered", answered.get() > 0);
      assertEquals(
          "wrong answers ("
              + answered.get()
              + " answered, "
              + partial.get()
              + " partial, "
              + unreachable.get()
              + " unreachable, "
              + fetchFailures.get()
              + " failed in the fetch phase)",
          List.of(),
          wrong);
      System.out.printf(
          "%s: %d searches answered, %d with _shards.failed > 0, %d sent to a node that was down, "
              + "%d failed as a whole in the fetch phase as their node left (answered when retried)%n",
          index, answered.get(), partial.get(), unreachable.get(), fetchFailures.get());
    }
  }

  /**
   * A search that failed as a whole because a node that answered its query phase was gone for its
   * fetch phase.
   */
  private static boolean lostInFetchPhase(NodeClient.Answer answer) {
    JsonNode error = answer.body().path("error");
    String cause = error.path("caused_by").path("type").asText();
    return answer.status() == 500
        && error.path("type").asText().equals("search_phase_execution_exception")
        && error.path("phase").asText().equals("fetch")
        && (cause.equals("node_not_connected_exception")
            || cause.equals("node_disconnected_exception")
            || cause.equals("node_closed_exception"));
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
