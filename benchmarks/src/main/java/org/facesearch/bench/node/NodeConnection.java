package org.facesearch.bench.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.facesearch.cli.Json;
import org.facesearch.cli.NodeClient;
import org.facesearch.evaluation.Args;

/**
 * How a node benchmark finds its node: {@code --port N}, or {@code --home DIR} of a node that
 * scripts/node.sh started.
 */
final class NodeConnection {
  private NodeConnection() {}

  /** Force-merging 100,000 vectors and big bulk requests take minutes on 2 cores. */
  static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(30);

  /** The node of {@code --port} or {@code --home} (exactly one), announced with its version. */
  static NodeClient connect(Args args) {
    String port = args.stringOrNull("port");
    String home = args.stringOrNull("home");
    if ((port == null) == (home == null)) {
      throw new IllegalArgumentException(
          "give exactly one of --port N and --home NODE_HOME (the folder scripts/node.sh was started with)");
    }
    NodeClient node =
        home != null
            ? NodeClient.ofHome(Path.of(home), RESPONSE_TIMEOUT)
            : NodeClient.local(args.positive("port", 9200), RESPONSE_TIMEOUT);
    System.out.printf(
        Locale.ROOT,
        "node: 127.0.0.1:%d, OpenSearch %s%n",
        node.port(),
        Json.at(node.request("GET", "/"), "/version/number").asText());
    return node;
  }

  /**
   * The node's process id (from scripts/node.sh's node.pid under {@code --home}), or null when
   * connected by {@code --port}.
   */
  static Long pid(Args args) throws IOException {
    String home = args.stringOrNull("home");
    if (home == null || !Files.isRegularFile(Path.of(home).resolve("node.pid"))) {
      return null;
    }
    return Long.parseLong(
        Files.readString(Path.of(home).resolve("node.pid"), StandardCharsets.US_ASCII).trim());
  }

  /** Deletes the index when it exists. */
  static void deleteIndex(NodeClient node, String index) {
    if (node.exists("/" + index)) {
      node.request("DELETE", "/" + index);
    }
  }
}
