package org.facesearch.bench.node;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.facesearch.cli.Json;
import org.facesearch.cli.NodeClient;

/**
 * Indexes vectors as bare arrays in field {@code v} with id = position, through {@code _bulk}
 * requests of {@code batch} documents from {@code clients} threads; each thread writes the body of
 * its next batch itself (bodies of 100,000 x 512 numbers are too big to hold at once). Any failed
 * document stops the load with its error.
 */
final class VectorLoader {
  private VectorLoader() {}

  /** Seconds taken. */
  static double load(NodeClient node, String index, float[][] vectors, int batch, int clients)
      throws Exception {
    AtomicInteger next = new AtomicInteger();
    int batches = (vectors.length + batch - 1) / batch;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long t0 = System.nanoTime();
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        running.add(
            pool.submit(() -> {
              for (int b = next.getAndIncrement(); b < batches; b = next.getAndIncrement()) {
                byte[] body = body(vectors, b * batch, Math.min(vectors.length, (b + 1) * batch));
                BulkAnswers answers = new BulkAnswers();
                answers.add(node.send("POST", "/" + index + "/_bulk", body, NodeClient.NDJSON));
                answers.check(index, 0);
              }
              return null;
            }));
      }
      for (Future<?> f : running) {
        try {
          f.get();
        } catch (ExecutionException e) {
          next.set(batches);
          throw new IllegalStateException(
              "indexing into " + index + " failed: " + e.getCause().getMessage(), e.getCause());
        }
      }
    } finally {
      pool.shutdown();
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private static byte[] body(float[][] vectors, int from, int to) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream((to - from) * vectors[0].length * 12);
    for (int i = from; i < to; i++) {
      try (JsonGenerator g = Json.generator(out)) {
        g.writeStartObject();
        g.writeObjectFieldStart("index");
        g.writeStringField("_id", Integer.toString(i));
        g.writeEndObject();
        g.writeEndObject();
      }
      out.write('\n');
      try (JsonGenerator g = Json.generator(out)) {
        g.writeStartObject();
        g.writeFieldName("v");
        Json.writeArray(g, vectors[i]);
        g.writeEndObject();
      }
      out.write('\n');
    }
    return out.toByteArray();
  }
}
