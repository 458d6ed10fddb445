package org.facesearch.bench.node;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.core5.http.ContentType;
import org.facesearch.cli.NodeClient;

/**
 * Sends a fixed list of prepared request bodies to one path, each exactly once, from a number of
 * client threads that take the next body as soon as their previous answer arrived (closed loop).
 * Bodies are built before timing, so the benchmark JVM only writes and reads bytes while timed. The
 * first failed request stops the run with its error.
 */
final class Load {
  /** Per request, in list order: latency in nanoseconds and the answer. */
  record Result(long wallNanos, long[] latencyNanos, byte[][] answers) {
    double perSecond() {
      return latencyNanos.length / (wallNanos / 1e9);
    }
  }

  private Load() {}

  static Result run(
      NodeClient node,
      String method,
      String path,
      List<byte[]> bodies,
      ContentType type,
      int clients)
      throws Exception {
    int n = bodies.size();
    long[] latency = new long[n];
    byte[][] answers = new byte[n][];
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<?>> running = new ArrayList<>();
      long start = System.nanoTime();
      for (int c = 0; c < clients; c++) {
        running.add(
            pool.submit(() -> {
              for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                long t0 = System.nanoTime();
                answers[i] = node.send(method, path, bodies.get(i), type);
                latency[i] = System.nanoTime() - t0;
              }
              return null;
            }));
      }
      for (Future<?> f : running) {
        try {
          f.get();
        } catch (ExecutionException e) {
          next.set(n); // the other clients stop after their current request
          throw new IllegalStateException(
              "a request to " + path + " failed: " + e.getCause().getMessage(), e.getCause());
        }
      }
      return new Result(System.nanoTime() - start, latency, answers);
    } finally {
      pool.shutdown();
    }
  }
}
