package org.facesearch.bench.node;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.facesearch.cli.Json;
import org.facesearch.cli.NodeClient;

/**
 * What a local node holds in memory: its Java heap in use right after a full garbage collection
 * (live objects, not garbage waiting), its resident set (heap pages touched, plus everything
 * outside the heap: ONNX Runtime's sessions, Lucene's memory-mapped files in use, thread stacks,
 * code) and its thread count. The collection is asked of the node's JVM with {@code jcmd PID
 * GC.run}, as the user the node runs as.
 */
final class NodeMemory {
  /** Bytes of heap in use after a full GC, resident bytes, threads. */
  record Sample(long heapAfterGc, long resident, int threads) {}

  private NodeMemory() {}

  static Sample of(NodeClient node, long pid) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
    JsonNode jvm =
        node.request("GET", "/_nodes/_local/stats/jvm").path("nodes").elements().next().path("jvm");
    long heap = Json.at(jvm, "/mem/heap_used_in_bytes").asLong();
    long resident = 0;
    int threads = 0;
    for (String line :
        Files.readAllLines(
            Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.US_ASCII)) {
      if (line.startsWith("VmRSS:")) {
        resident = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      } else if (line.startsWith("Threads:")) {
        threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
      }
    }
    if (resident == 0 || threads == 0) {
      throw new IllegalStateException("/proc/" + pid + "/status has no VmRSS or Threads line");
    }
    return new Sample(heap, resident, threads);
  }

  /**
   * Runs a jcmd command in the node's JVM (the jcmd of the JDK the node runs on, as the node's
   * user).
   */
  static void jcmd(long pid, String command) throws IOException, InterruptedException {
    Path java = Path.of("/proc", Long.toString(pid), "exe").toRealPath();
    Path jcmd = java.resolveSibling("jcmd");
    if (!Files.isExecutable(jcmd)) {
      throw new IllegalStateException(
          "the node runs on " + java + ", which has no jcmd beside it (a JRE, not a JDK?)");
    }
    String owner = Files.getOwner(Path.of("/proc", Long.toString(pid))).getName();
    List<String> cmd = new ArrayList<>();
    if (!owner.equals(System.getProperty("user.name"))) {
      // The attach mechanism only lets the JVM's own user in: as root, become that user.
      cmd.addAll(List.of("runuser", "-u", owner, "--"));
    }
    cmd.addAll(List.of(jcmd.toString(), Long.toString(pid), command));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
    }
  }
}
