package org.facesearch.bench.node;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.facesearch.cli.NodeClient;
import org.facesearch.evaluation.Args;
import org.facesearch.evaluation.Lfw;

/**
 * The node under photo load, two measurements.
 *
 * <p>Unrelated indexing while photos are bulk-indexed: {@code --clients} clients send {@code
 * --bulk-docs}-photo {@code _bulk} requests through the {@code face_embedding} pipeline for {@code
 * --seconds}, while one more client indexes a one-field document into another index every 100 ms
 * and times each answer; printed: that latency's p50, p99 and maximum, the photos indexed and
 * answered 429 (retried by nobody: a 429 is counted, not resent), and the largest write-pool queue
 * seen. Each client has its own connection, so no request waits for another's connection.
 *
 * <p>Heap under a burst of {@code _encode} calls: {@code --encode-calls} calls of one {@code
 * --encode-size} x {@code --encode-size} JPEG (an LFW photo scaled up) are sent at once, each on
 * its own connection, while the node's heap use is read every 50 ms from {@code
 * _nodes/_local/stats/jvm}; printed: the answers by status and the largest heap use seen, as a
 * share of the heap.
 *
 * <pre>
 * benchmarks/node-bench.sh load [--clients 16] [--bulk-docs 100] [--seconds 120] [--photos 400]
 *     [--encode-calls 1200] [--encode-size 1600]</pre>
 */
public final class IngestLoadBench {
  private static final String PHOTOS = "bench-load-photos";
  private static final String OTHER = "bench-load-other";
  private static final String PIPELINE = "bench-load";

  private IngestLoadBench() {}

  public static void main(String[] argv) throws Exception {
    Args args =
        new Args(
            argv,
            Set.of(
                "home",
                "port",
                "clients",
                "bulk-docs",
                "seconds",
                "photos",
                "encode-calls",
                "encode-size"));
    int clients = args.positive("clients", 16);
    int bulkDocs = args.positive("bulk-docs", 100);
    int seconds = args.positive("seconds", 120);
    int photoCount = args.positive("photos", 400);
    int encodeCalls = args.positive("encode-calls", 1200);
    int encodeSize = args.positive("encode-size", 1600);
    try (NodeClient node = NodeConnection.connect(args)) {
      Log.line(
          "node: plugins.face.inference.threads %s, queue_size %s, queue_memory %s; heap %s",
          setting(node, "plugins.face.inference.threads"),
          setting(node, "plugins.face.inference.queue_size"),
          setting(node, "plugins.face.inference.queue_memory"),
          heap(node).max / (1024 * 1024) + " MiB");
      List<String> photos = new ArrayList<>();
      for (Photos.Photo p : Photos.pick(Lfw.open(), p -> true, 0, photoCount)) {
        photos.add(Base64.getEncoder().encodeToString(p.bytes()));
      }
      byte[] large = scaled(Photos.pick(Lfw.open(), p -> true, 0, 1).get(0).bytes(), encodeSize);
      setUp(node);
      try {
        underBulkLoad(node, photos, clients, bulkDocs, seconds);
        encodeBurst(node, large, encodeSize, encodeCalls);
      } finally {
        node.call("DELETE", "/" + PHOTOS + "," + OTHER);
        node.call("DELETE", "/_ingest/pipeline/" + PIPELINE);
      }
    }
  }

  private static void setUp(NodeClient node) {
    NodeConnection.deleteIndex(node, PHOTOS);
    NodeConnection.deleteIndex(node, OTHER);
    node.request(
        "PUT",
        "/_ingest/pipeline/" + PIPELINE,
        "{\"processors\": [{\"face_embedding\": {\"field\": \"photo\", \"remove_image\": true}}]}");
    node.request(
        "PUT",
        "/" + PHOTOS,
        "{\"settings\": {\"number_of_shards\": 1, \"number_of_replicas\": 0},"
            + " \"mappings\": {\"properties\": {\"face\": {\"type\": \"face\"}}}}");
    node.request(
        "PUT",
        "/" + OTHER,
        "{\"settings\": {\"number_of_shards\": 1, \"number_of_replicas\": 0},"
            + " \"mappings\": {\"properties\": {\"n\": {\"type\": \"integer\"}}}}");
  }

  private static void underBulkLoad(
      NodeClient node, List<String> photos, int clients, int bulkDocs, int seconds)
      throws Exception {
    Log.line(
        "photo load: %d clients, %d photos a bulk, %d s; one-field documents into another index every 100 ms",
        clients, bulkDocs, seconds);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong indexed = new AtomicLong();
    AtomicLong rejected = new AtomicLong();
    AtomicLong otherFailures = new AtomicLong();
    AtomicLong maxWriteQueue = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(clients + 1);
    List<Future<?>> load = new ArrayList<>();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    for (int c = 0; c < clients; c++) {
      int client = c;
      load.add(
          pool.submit(() -> {
            try (NodeClient own = own(node)) {
              for (int request = 0; System.nanoTime() < end; request++) {
                StringBuilder bulk = new StringBuilder();
                for (int i = 0; i < bulkDocs; i++) {
                  bulk.append("{\"index\": {\"_index\": \"" + PHOTOS + "\"}}\n{\"photo\": \"")
                      .append(photos.get((client * 7919 + request * bulkDocs + i) % photos.size()))
                      .append("\"}\n");
                }
                JsonNode answer =
                    own.request("POST", "/_bulk?pipeline=" + PIPELINE, bulk.toString());
                for (JsonNode item : answer.path("items")) {
                  int status = item.path("index").path("status").asInt();
                  if (status / 100 == 2) {
                    indexed.incrementAndGet();
                  } else if (status == 429) {
                    rejected.incrementAndGet();
                  } else {
                    otherFailures.incrementAndGet();
                  }
                }
              }
            }
            return null;
          }));
    }
    // The write pool's queue, sampled once a second by the probe's own client.
    Future<?> sampler =
        pool.submit(() -> {
          try (NodeClient own = own(node)) {
            while (running.get()) {
              JsonNode pools =
                  own.request(
                      "GET",
                      "/_nodes/_local/stats/thread_pool?filter_path=nodes.*.thread_pool.write");
              pools
                  .path("nodes")
                  .forEach(n ->
                      maxWriteQueue.accumulateAndGet(
                          n.path("thread_pool").path("write").path("queue").asLong(), Math::max));
              Thread.sleep(1000);
            }
          }
          return null;
        });
    List<Long> latencies = new ArrayList<>();
    try (NodeClient probe = own(node)) {
      Thread.sleep(2000); // the bulks are in
      for (int n = 0; System.nanoTime() < end - 1_000_000_000L; n++) {
        long t0 = System.nanoTime();
        probe.request("PUT", "/" + OTHER + "/_doc/" + n, "{\"n\": " + n + "}");
        latencies.add(System.nanoTime() - t0);
        Thread.sleep(100);
      }
    }
    for (Future<?> f : load) {
      f.get();
    }
    running.set(false);
    sampler.get();
    pool.shutdown();
    long[] nanos = latencies.stream().mapToLong(Long::longValue).toArray();
    Percentiles p = new Percentiles(nanos);
    Log.line(
        "unrelated indexing under photo load: %d documents, p50 %.0f ms, p99 %.0f ms, max %.0f ms",
        p.count(), p.ms(50), p.ms(99), p.ms(100));
    Log.line(
        "photos: %d indexed (%.1f/s), %d answered 429, %d other failures; largest write queue seen: %d",
        indexed.get(),
        indexed.get() / (double) seconds,
        rejected.get(),
        otherFailures.get(),
        maxWriteQueue.get());
  }

  private static void encodeBurst(NodeClient node, byte[] large, int size, int calls)
      throws Exception {
    Log.line(
        "_encode burst: %d calls at once of a %d x %d JPEG (%d KiB)",
        calls, size, size, large.length / 1024);
    Heap idle = heap(node);
    String body = "{\"image\": \"" + Base64.getEncoder().encodeToString(large) + "\"}";
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMinutes(1))
            .build();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong peak = new AtomicLong();
    Thread sampler =
        Thread.ofPlatform()
            .start(() -> {
              while (running.get()) {
                peak.accumulateAndGet(heap(node).used, Math::max);
                try {
                  Thread.sleep(50);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
              }
            });
    long start = System.nanoTime();
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + node.port() + "/_plugins/face/_encode"))
              .header("Content-Type", "application/json")
              .timeout(Duration.ofMinutes(30))
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      sent.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
    }
    TreeMap<String, Integer> byStatus = new TreeMap<>();
    for (CompletableFuture<HttpResponse<String>> f : sent) {
      String key;
      try {
        key = String.valueOf(f.get().statusCode());
      } catch (java.util.concurrent.ExecutionException e) {
        key = "connection failed (" + e.getCause().getClass().getSimpleName() + ")";
      }
      byStatus.merge(key, 1, Integer::sum);
    }
    double wall = (System.nanoTime() - start) / 1e9;
    running.set(false);
    sampler.join();
    Heap after = heap(node);
    Log.line("_encode burst: answers by status %s in %.1f s", byStatus, wall);
    Log.line(
        "heap: %.0f%% before the burst, peak %.0f%% (%d of %d MiB) during it, %.0f%% after",
        100.0 * idle.used / idle.max,
        100.0 * peak.get() / after.max,
        peak.get() / (1024 * 1024),
        after.max / (1024 * 1024),
        100.0 * after.used / after.max);
  }

  /** A client of its own (the REST client keeps 10 connections per node, shared by its callers). */
  private static NodeClient own(NodeClient node) {
    return NodeClient.local(node.port(), NodeConnection.RESPONSE_TIMEOUT);
  }

  private record Heap(long used, long max) {}

  private static Heap heap(NodeClient node) {
    JsonNode nodes =
        node.request("GET", "/_nodes/_local/stats/jvm?filter_path=nodes.*.jvm.mem").path("nodes");
    JsonNode mem = nodes.elements().next().path("jvm").path("mem");
    return new Heap(
        mem.path("heap_used_in_bytes").asLong(), mem.path("heap_max_in_bytes").asLong());
  }

  private static String setting(NodeClient node, String key) {
    JsonNode all =
        node.request("GET", "/_cluster/settings?include_defaults=true&flat_settings=true");
    for (String part : List.of("transient", "persistent", "defaults")) {
      JsonNode value = all.path(part).path(key);
      if (!value.isMissingNode()) {
        return value.asText();
      }
    }
    return "?";
  }

  /** {@code jpeg} scaled to {@code size} x {@code size} and written as a JPEG. */
  private static byte[] scaled(byte[] jpeg, int size) {
    try {
      BufferedImage photo = ImageIO.read(new ByteArrayInputStream(jpeg));
      BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = out.createGraphics();
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(photo, 0, 0, size, size, null);
      g.dispose();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      ImageIO.write(out, "jpg", bytes);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
