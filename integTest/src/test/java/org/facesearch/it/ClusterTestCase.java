package org.facesearch.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.facesearch.cli.NodeClient;
import org.junit.AfterClass;
import org.junit.BeforeClass;

/**
 * Base of the tests against the 3-node cluster the build started (integTest's pom: node 1 has the
 * roles {@code ingest, cluster_manager}, the inference node; nodes 2 and 3 {@code data,
 * cluster_manager}), and against the single node, the reference a cluster's answers must equal.
 * Nodes are numbered from 1 as scripts/node.sh numbers them.
 */
public abstract class ClusterTestCase {

  /** Nodes in the cluster. */
  protected static final int NODES = 3;

  /** The inference node, the only one with the ingest role. */
  protected static final int INFERENCE_NODE = 1;

  /**
   * Long enough for a bulk request that waits for a replica to be promoted on a loaded 2-core
   * machine.
   */
  private static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(3);

  protected static Path clusterHome;
  private static NodeClient[] nodes;

  /** The single node (1 shard per index, no replica): the reference. */
  protected static NodeClient single;

  @BeforeClass
  public static void connectToTheCluster() {
    clusterHome = Path.of(System.getProperty("cluster.home", "target/cluster"));
    nodes = new NodeClient[NODES];
    for (int i = 1; i <= NODES; i++) {
      nodes[i - 1] = NodeClient.ofHome(clusterHome.resolve("node-" + i), RESPONSE_TIMEOUT);
    }
    single =
        NodeClient.ofHome(
            Path.of(System.getProperty("node.home", "target/node")), RESPONSE_TIMEOUT);
    JsonNode roles =
        node(1)
            .request("GET", "/_nodes/_all/none?filter_path=nodes.*.name,nodes.*.roles")
            .path("nodes");
    Map<String, String> byName = new HashMap<>();
    roles.forEach(n -> byName.put(n.path("name").asText(), n.path("roles").toString()));
    assertEquals(
        "the cluster's nodes and roles: " + byName,
        "[\"cluster_manager\",\"ingest\"]",
        byName.get("node-1"));
    assertEquals("[\"cluster_manager\",\"data\"]", byName.get("node-2"));
    assertEquals("[\"cluster_manager\",\"data\"]", byName.get("node-3"));
  }

  @AfterClass
  public static void disconnectFromTheCluster() throws IOException {
    for (NodeClient n : nodes) {
      if (n != null) {
        n.close();
      }
    }
    if (single != null) {
      single.close();
    }
  }

  /** The client of node {@code i} (1-based). */
  protected static NodeClient node(int i) {
    return nodes[i - 1];
  }

  /** The shared data folder (LFW), read in place. */
  protected static Path data() {
    return Path.of(System.getProperty("face.data.dir", "../../shared/data"));
  }

  /** The base64 of LFW photo {@code number} of {@code person}. */
  protected static String lfwBase64(String person, int number) {
    Path file =
        data().resolve(String.format(Locale.ROOT, "lfw/%s/%s_%04d.jpg", person, person, number));
    try {
      return Base64.getEncoder().encodeToString(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first {@code n} LFW people (by name) with at least {@code photos} photos. */
  protected static List<String> lfwPeople(int n, int photos) {
    try (Stream<Path> people = Files.list(data().resolve("lfw"))) {
      return people
          .filter(Files::isDirectory)
          .filter(p -> countPhotos(p) >= photos)
          .map(p -> p.getFileName().toString())
          .sorted()
          .limit(n)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long countPhotos(Path person) {
    try (Stream<Path> files = Files.list(person)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".jpg")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * scripts/node.sh {@code command} --home CLUSTER --node {@code i}; fails the test when it fails.
   */
  protected static void nodeScript(String command, int i) {
    Path script = Path.of(System.getProperty("node.script", "../scripts/node.sh"));
    ProcessBuilder pb =
        new ProcessBuilder(
            "bash",
            script.toString(),
            command,
            "--home",
            clusterHome.toString(),
            "--node",
            Integer.toString(i));
    pb.redirectErrorStream(true);
    try {
      Process p = pb.start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(15, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        fail("node.sh " + command + " --node " + i + " did not finish in 15 minutes: " + output);
      }
      assertEquals("node.sh " + command + " --node " + i + ": " + output, 0, p.exitValue());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Waits (through node {@code via}) until all {@link #NODES} nodes are in and every shard copy is
   * allocated.
   */
  protected static void waitForGreen(int via) {
    JsonNode health =
        node(via)
            .request(
                "GET",
                "/_cluster/health?wait_for_status=green&wait_for_nodes="
                    + NODES
                    + "&wait_for_no_relocating_shards=true&wait_for_no_initializing_shards=true&timeout=300s");
    assertFalse("cluster not green in 300 s: " + health, health.path("timed_out").asBoolean());
  }

  /**
   * Creates a pipeline {@code name} that encodes {@code photo} into {@code face} and drops the
   * photo (through node {@code via}).
   */
  protected static void putPipeline(NodeClient via, String name) {
    via.request(
        "PUT",
        "/_ingest/pipeline/" + name,
        "{\"processors\": [{\"face_embedding\": {\"field\": \"photo\", \"remove_image\": true}}]}");
  }

  /** Creates index {@code name} with a {@code face} field (patches out of {@code _source}). */
  protected static void createIndex(NodeClient via, String name, int shards, int replicas) {
    if (via.exists("/" + name)) {
      via.request("DELETE", "/" + name);
    }
    via.request(
        "PUT",
        "/" + name,
        "{\"settings\": {\"number_of_shards\": "
            + shards
            + ", \"number_of_replicas\": "
            + replicas
            + "},"
            + " \"mappings\": {\"_source\": {\"excludes\": [\"face.patches\"]}, \"properties\": {\"face\": {\"type\": \"face\"}, \"person\": {\"type\": \"keyword\"}}}}");
  }

  /** A {@code _bulk} body indexing each photo (id = person_number) through {@code pipeline}. */
  protected static String bulkBody(String index, List<Photo> photos) {
    StringBuilder bulk = new StringBuilder();
    for (Photo p : photos) {
      bulk.append("{\"index\": {\"_index\": \"")
          .append(index)
          .append("\", \"_id\": \"")
          .append(p.id())
          .append("\"}}\n");
      bulk.append("{\"person\": \"")
          .append(p.person())
          .append("\", \"photo\": \"")
          .append(p.base64())
          .append("\"}\n");
    }
    return bulk.toString();
  }

  /** One LFW photo of the test galleries. */
  protected record Photo(String person, int number) {
    String id() {
      return person + "_" + number;
    }

    String base64() {
      return lfwBase64(person, number);
    }
  }

  /** The outcome of each item of a bulk answer, by id: its status (201, 200, 503...). */
  protected static Map<String, Integer> itemStatuses(JsonNode bulkAnswer) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (JsonNode item : bulkAnswer.path("items")) {
      JsonNode op = item.elements().next();
      out.put(op.path("_id").asText(), op.path("status").asInt());
    }
    return out;
  }

  /**
   * A face query with the photo, the top {@code k} by stage 1, and with {@code window > 0} the
   * face_emd rescorer over that window.
   */
  protected static String searchBody(String photoBase64, int k, int window) {
    String query =
        "{\"size\": "
            + k
            + ", \"_source\": false, \"query\": {\"face\": {\"field\": \"face\", \"image\": \""
            + photoBase64
            + "\", \"k\": "
            + k
            + ", \"num_candidates\": "
            + Math.max(2 * k, 100)
            + ", \"on_unrecognizable_query\": \"ignore\"}}";
    if (window > 0) {
      query +=
          ", \"rescore\": {\"window_size\": " + window + ", \"face_emd\": {\"field\": \"face\"}}";
    }
    return query + "}";
  }

  /** The hits of a search answer, in order: id and score. */
  protected static List<Hit> hits(JsonNode answer) {
    List<Hit> out = new ArrayList<>();
    for (JsonNode hit : answer.path("hits").path("hits")) {
      out.add(new Hit(hit.path("_id").asText(), (float) hit.path("_score").asDouble()));
    }
    return out;
  }

  /** One hit: its document and score. */
  protected record Hit(String id, float score) {}

  /**
   * Asserts that two rankings hold the same documents with the same scores, to within {@code
   * tolerance}, in the same order except among hits whose scores are equal (their order is
   * OpenSearch's tie-break, by shard).
   */
  protected static void assertSameRanking(
      String what, List<Hit> expected, List<Hit> actual, float tolerance) {
    assertEquals(what + ": number of hits", expected.size(), actual.size());
    Map<String, Float> byId = new HashMap<>();
    actual.forEach(h -> byId.put(h.id(), h.score()));
    for (int i = 0; i < expected.size(); i++) {
      Hit e = expected.get(i);
      Float score = byId.get(e.id());
      assertTrue(
          what + ": hit " + e.id() + " (rank " + (i + 1) + ") missing from " + actual,
          score != null);
      assertEquals(what + ": score of " + e.id(), e.score(), score, tolerance);
      Hit a = actual.get(i);
      if (!a.id().equals(e.id())) {
        assertEquals(
            what
                + ": rank "
                + (i + 1)
                + " is "
                + a.id()
                + " instead of "
                + e.id()
                + ", and their scores differ",
            e.score(),
            a.score(),
            tolerance);
      }
    }
  }

  /**
   * Per node name, the default model's stats object of {@code GET _plugins/face/stats} (with its
   * {@code open} flag).
   */
  protected static Map<String, JsonNode> modelStats(NodeClient via) {
    JsonNode answer = via.request("GET", "/_plugins/face/stats");
    assertEquals(answer.toString(), NODES, answer.path("_nodes").path("successful").asInt());
    Map<String, JsonNode> out = new HashMap<>();
    Iterator<JsonNode> it = answer.path("nodes").elements();
    while (it.hasNext()) {
      JsonNode n = it.next();
      out.put(n.path("name").asText(), n.path("models").path("default"));
    }
    return out;
  }
}
