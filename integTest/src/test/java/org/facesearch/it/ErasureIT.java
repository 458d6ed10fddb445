package org.facesearch.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.facesearch.cli.NodeClient;
import org.junit.Test;

/**
 * Follows docs/reliability.md "Erasing a person" on the real node and then reads every file of the
 * index's shard directory (segments and translog): the erased person's embeddings are in none of
 * them, as float32 bytes in either byte order or as the decimal text they were sent as, while the
 * other people's still are (the positive control that shows the search would find them).
 */
public class ErasureIT extends RealNodeTestCase {

  private static final int DIMS = 16;

  /**
   * One person's face: its embedding as sent (JSON text and its floats), and as the mapper stores
   * it (unit length).
   */
  private record Face(String person, String text, float[] sent, float[] unit) {}

  @Test
  public void anErasedPersonLeavesNoTraceInTheShardFiles() throws Exception {
    String index = "it-erasure";
    node.call("DELETE", "/" + index);
    NodeClient.Answer created =
        node.call(
            "PUT",
            "/" + index,
            "{\"settings\": {\"number_of_shards\": 1, \"number_of_replicas\": 0}, "
                + "\"mappings\": {\"properties\": {\"person\": {\"type\": \"keyword\"}, \"face\": {\"type\": \"face\", \"dims\": "
                + DIMS
                + "}}}}");
    assertEquals(created.text(), 200, created.status());
    Random random = new Random(42);
    List<Face> faces = new ArrayList<>();
    for (String person : new String[] {"erased", "kept-1", "kept-2"}) {
      for (int i = 0; i < 3; i++) {
        float[] sent = new float[DIMS];
        StringBuilder json = new StringBuilder("[");
        double sum = 0;
        for (int d = 0; d < DIMS; d++) {
          String value = String.format(Locale.ROOT, "%.6f", random.nextGaussian());
          json.append(d == 0 ? "" : ",").append(value);
          sent[d] = Float.parseFloat(value);
          sum += (double) sent[d] * sent[d];
        }
        json.append(']');
        float[] unit = new float[DIMS];
        for (int d = 0; d < DIMS; d++) {
          unit[d] = (float) (sent[d] / Math.sqrt(sum));
        }
        faces.add(new Face(person, json.toString(), sent, unit));
      }
    }
    // Indexed in several requests, refreshed in between: several segments, as a live index has.
    for (int i = 0; i < faces.size(); i++) {
      Face f = faces.get(i);
      NodeClient.Answer put =
          node.call(
              "PUT",
              "/" + index + "/_doc/" + i + "?refresh=true",
              "{\"person\": \"" + f.person() + "\", \"face\": {\"embedding\": " + f.text() + "}}");
      assertEquals(put.text(), 201, put.status());
    }
    Path shard = shardDirectory(index);
    for (Face f : faces) {
      assertTrue("before erasure, " + f.person() + " is in the files", found(shard, f));
    }

    // The procedure of docs/reliability.md.
    NodeClient.Answer deleted =
        node.call(
            "POST",
            "/" + index + "/_delete_by_query?refresh=true",
            "{\"query\": {\"term\": {\"person\": \"erased\"}}}");
    assertEquals(deleted.text(), 3, deleted.body().path("deleted").asInt());
    // Deleting alone is not erasing: the segments and the translog still hold the person.
    assertTrue(
        "right after the delete, the person is still on disk",
        faces.stream().filter(f -> f.person().equals("erased")).anyMatch(f -> found(shard, f)));

    assertEquals(
        200, node.call("POST", "/" + index + "/_flush?force=true&wait_if_ongoing=true").status());
    waitForRetentionLeases(index);
    NodeClient.Answer merged = node.call("POST", "/" + index + "/_forcemerge?max_num_segments=1");
    assertEquals(merged.text(), 200, merged.status());
    assertEquals(200, node.call("POST", "/" + index + "/_refresh").status());
    assertEquals(
        200, node.call("POST", "/" + index + "/_flush?force=true&wait_if_ongoing=true").status());

    for (Face f : faces) {
      boolean there = found(shard, f);
      if (f.person().equals("erased")) {
        assertFalse("after erasure, a face of the erased person is still in " + shard, there);
      } else {
        assertTrue("the positive control: " + f.person() + " must still be found", there);
      }
    }
    NodeClient.Answer count = node.call("GET", "/" + index + "/_count");
    assertEquals(6, count.body().path("count").asInt());
  }

  /** Waits until the shard's retention leases retain no operation up to its max sequence number. */
  static void waitForRetentionLeases(String index) throws InterruptedException {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (true) {
      JsonNode shard =
          node.call("GET", "/" + index + "/_stats?level=shards")
              .body()
              .path("indices")
              .path(index)
              .path("shards")
              .path("0")
              .get(0);
      long maxSeqNo = shard.path("seq_no").path("max_seq_no").asLong();
      boolean past = true;
      for (JsonNode lease : shard.path("retention_leases").path("leases")) {
        past &= lease.path("retaining_seq_no").asLong() > maxSeqNo;
      }
      if (past) {
        return;
      }
      assertTrue(
          "retention leases of " + index + " did not move past " + maxSeqNo + ": " + shard,
          System.nanoTime() < deadline);
      // The node renews peer-recovery leases in the background; a flush makes it sync sooner.
      node.call("POST", "/" + index + "/_flush?force=true&wait_if_ongoing=true");
      Thread.sleep(2000);
    }
  }

  static Path shardDirectory(String index) {
    String uuid =
        node.call("GET", "/" + index + "/_settings")
            .body()
            .path(index)
            .path("settings")
            .path("index")
            .path("uuid")
            .asText();
    Path home = Path.of(System.getProperty("node.home", "target/node"));
    // scripts/node.sh moves the node's files out of a checkout its user cannot enter, linked as
    // runtime.
    Path files = Files.isDirectory(home.resolve("runtime")) ? home.resolve("runtime") : home;
    Path shard = files.resolve("data/nodes/0/indices").resolve(uuid).resolve("0");
    assertTrue("no shard directory " + shard, Files.isDirectory(shard));
    return shard;
  }

  /**
   * Whether any file of the shard's index and translog folders holds the face, in any of its forms.
   */
  private static boolean found(Path shard, Face face) {
    List<byte[]> patterns =
        List.of(
            bytes(face.unit(), ByteOrder.LITTLE_ENDIAN),
            bytes(face.unit(), ByteOrder.BIG_ENDIAN),
            bytes(face.sent(), ByteOrder.LITTLE_ENDIAN),
            bytes(face.sent(), ByteOrder.BIG_ENDIAN),
            face.text().substring(1, 40).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    try (Stream<Path> files =
        Stream.concat(Files.walk(shard.resolve("index")), Files.walk(shard.resolve("translog")))) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        byte[] content = Files.readAllBytes(file);
        for (byte[] pattern : patterns) {
          if (indexOf(content, pattern) >= 0) {
            return true;
          }
        }
      }
      return false;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static byte[] bytes(float[] values, ByteOrder order) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(order);
    for (float v : values) {
      buffer.putFloat(v);
    }
    return buffer.array();
  }

  private static int indexOf(byte[] content, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= content.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (content[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
