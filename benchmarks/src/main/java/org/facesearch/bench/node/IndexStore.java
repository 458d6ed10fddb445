package org.facesearch.bench.node;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.facesearch.cli.Json;
import org.facesearch.cli.NodeClient;

/**
 * What an index holds on disk, and force-merging it to one segment.
 *
 * <p>When {@code _source} is filtered (the patches excluded), OpenSearch keeps the whole original
 * source in a hidden {@code _recovery_source} stored field for as long as the shard's retention
 * leases may need to replay those operations; merges drop it once the leases have moved past them.
 * A store measured right after indexing therefore still holds every patch map in JSON. The
 * steady-state size is measured by waiting until the leases retain nothing that was indexed,
 * committing, and only then merging.
 */
final class IndexStore {
  /**
   * Documents, bytes of the shard's Lucene directory, segments, bytes per file extension, and
   * whether the retention leases had let go of the indexed operations before the last merge (false:
   * the store may still hold {@code _recovery_source}), and how long that merge took.
   */
  record Stats(
      long docs,
      long storeBytes,
      int segments,
      Map<String, Long> fileBytes,
      boolean historyReleased,
      double mergeSeconds) {}

  private IndexStore() {}

  /** Refreshes and commits, then reads the store as it is. */
  static Stats current(NodeClient node, String index) throws IOException {
    node.request("POST", "/" + index + "/_refresh");
    node.request("POST", "/" + index + "/_flush?force=true");
    JsonNode p =
        Json.at(
            node.request(
                "GET", "/" + index + "/_stats/docs,store,segments?include_segment_file_sizes=true"),
            "/indices/" + index + "/primaries");
    Map<String, Long> files = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = p.path("segments").path("file_sizes").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      files.put(e.getKey(), e.getValue().path("size_in_bytes").asLong());
    }
    return new Stats(
        Json.at(p, "/docs/count").asLong(),
        Json.at(p, "/store/size_in_bytes").asLong(),
        Json.at(p, "/segments/count").asInt(),
        files,
        false,
        0);
  }

  /**
   * Waits (at most {@code maxSeconds}) until every retention lease of every shard copy retains only
   * operations after the last one indexed; true when that happened.
   */
  static boolean waitForLeases(NodeClient node, String index, int maxSeconds)
      throws IOException, InterruptedException {
    node.request("POST", "/" + index + "/_flush?force=true");
    for (int second = 0; second <= maxSeconds; second++) {
      if (leasesPastLastOperation(node, index)) {
        return true;
      }
      Thread.sleep(1000);
    }
    return false;
  }

  private static boolean leasesPastLastOperation(NodeClient node, String index) throws IOException {
    JsonNode shards =
        Json.at(
            node.request(
                "GET",
                "/"
                    + index
                    + "/_stats?level=shards&filter_path=**.seq_no.max_seq_no,**.retention_leases.leases.retaining_seq_no"),
            "/indices/" + index + "/shards");
    for (JsonNode copies : shards) {
      for (JsonNode copy : copies) {
        long maxSeqNo = Json.at(copy, "/seq_no/max_seq_no").asLong();
        for (JsonNode lease : Json.at(copy, "/retention_leases/leases")) {
          if (lease.path("retaining_seq_no").asLong() <= maxSeqNo) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /**
   * Steady state: waits (at most {@code maxLeaseSeconds}) for the retention leases to let go of the
   * indexed operations, then force-merges to one segment (from several, so that every document is
   * rewritten) and reads the store. A lease that did not move is reported in the result and
   * printed, never hidden.
   */
  static Stats forceMerge(NodeClient node, String index, int maxLeaseSeconds)
      throws IOException, InterruptedException {
    boolean released = waitForLeases(node, index, maxLeaseSeconds);
    if (!released) {
      Log.line(
          "WARNING: the retention leases of %s did not move past the last operation in %d s: the merged segment keeps _recovery_source",
          index, maxLeaseSeconds);
    }
    Stats before = current(node, index);
    if (before.segments() < 2) {
      throw new IllegalStateException(
          index
              + " has "
              + before.segments()
              + " segment(s) before the force-merge: nothing would be rewritten");
    }
    long t0 = System.nanoTime();
    node.request("POST", "/" + index + "/_forcemerge?max_num_segments=1");
    double seconds = (System.nanoTime() - t0) / 1e9;
    Stats s =
        current(
            node,
            index); // the refresh lets go of the merged-away segments, so their files leave the
    // store
    if (s.segments() != 1) {
      throw new IllegalStateException(
          index + " has " + s.segments() + " segments after a force-merge to 1");
    }
    return new Stats(s.docs(), s.storeBytes(), s.segments(), s.fileBytes(), released, seconds);
  }
}
