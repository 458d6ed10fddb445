package org.facesearch.queryface;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.test.OpenSearchTestCase;

/**
 * The query face cache: one encoding per image in flight, no failures kept, bounded in entries and
 * in time.
 */
public class QueryFaceCacheTests extends OpenSearchTestCase {

  /** A computation that counts its runs and hands out futures the test completes. */
  private static final class Encoding implements Supplier<CompletableFuture<String>> {
    final AtomicInteger runs = new AtomicInteger();
    final List<CompletableFuture<String>> made = new ArrayList<>();

    @Override
    public synchronized CompletableFuture<String> get() {
      runs.incrementAndGet();
      CompletableFuture<String> f = new CompletableFuture<>();
      made.add(f);
      return f;
    }
  }

  private static QueryFaceCache<String> cache(int entries) {
    return new QueryFaceCache<>(entries, TimeValue.timeValueMinutes(10));
  }

  public void testConcurrentRequestsForOneImageShareOneEncoding() throws Exception {
    QueryFaceCache<String> cache = cache(16);
    Encoding encoding = new Encoding();
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    List<CompletableFuture<String>> got = new ArrayList<>();
    List<Thread> running = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread t =
          new Thread(() -> {
            try {
              start.await();
            } catch (InterruptedException e) {
              throw new AssertionError(e);
            }
            CompletableFuture<String> f = cache.get("image", encoding);
            synchronized (got) {
              got.add(f);
            }
          });
      t.start();
      running.add(t);
    }
    start.countDown();
    for (Thread t : running) {
      t.join();
    }
    assertEquals("one encoding while it is in flight", 1, encoding.runs.get());
    for (CompletableFuture<String> f : got) {
      assertSame(encoding.made.get(0), f);
    }
    encoding.made.get(0).complete("face");
    assertEquals("face", cache.get("image", encoding).get());
    assertEquals(1, encoding.runs.get());
    QueryFaceCache.Stats stats = cache.stats();
    assertEquals(1, stats.entries());
    assertEquals(1, stats.misses());
    assertEquals(threads, stats.hits());
  }

  public void testFailuresAreNotKept() throws Exception {
    QueryFaceCache<String> cache = cache(16);
    Encoding encoding = new Encoding();
    CompletableFuture<String> first = cache.get("image", encoding);
    first.completeExceptionally(new IllegalArgumentException("no face found"));
    assertEquals(0, cache.stats().entries());
    CompletableFuture<String> second = cache.get("image", encoding);
    assertNotSame(first, second);
    assertEquals(2, encoding.runs.get());
    second.complete("face");
    assertEquals("face", cache.get("image", encoding).get());

    // A computation that throws at once is a failed future, not kept either.
    CompletableFuture<String> thrown =
        cache.get(
            "other",
            () -> {
              throw new IllegalStateException("queue full");
            });
    ExecutionException e = expectThrows(ExecutionException.class, thrown::get);
    assertEquals("queue full", e.getCause().getMessage());
    assertEquals("face", cache.get("image", encoding).get());
    assertEquals(1, cache.stats().entries());
  }

  public void testTheLeastRecentlyUsedImageLeavesFirst() throws Exception {
    QueryFaceCache<String> cache = cache(3);
    Encoding encoding = new Encoding();
    for (String key : new String[] {"a", "b", "c"}) {
      cache.get(key, encoding).complete(key);
    }
    cache.get("a", encoding); // a is now more recent than b
    cache.get("d", encoding).complete("d");
    QueryFaceCache.Stats stats = cache.stats();
    assertEquals(3, stats.entries());
    assertEquals(1, stats.evictions());
    assertEquals(4, encoding.runs.get());
    assertEquals("a", cache.get("a", encoding).get());
    assertEquals("still cached", 4, encoding.runs.get());
    cache.get("b", encoding);
    assertEquals("b was the least recently used, and left", 5, encoding.runs.get());
  }

  public void testAnImageNotAskedForAgainExpires() throws Exception {
    // OpenSearch's Cache reads System.nanoTime and cannot be given another clock outside its
    // package, so this waits: long enough past the expiry that the entry must be gone.
    QueryFaceCache<String> cache = new QueryFaceCache<>(16, TimeValue.timeValueMillis(100));
    Encoding encoding = new Encoding();
    cache.get("image", encoding).complete("face");
    Thread.sleep(400);
    CompletableFuture<String> again = cache.get("image", encoding);
    assertEquals("expired, so encoded again", 2, encoding.runs.get());
    assertFalse(again.isDone());
  }

  public void testClearEmptiesTheCache() throws Exception {
    QueryFaceCache<String> cache = cache(16);
    Encoding encoding = new Encoding();
    cache.get("a", encoding).complete("a");
    cache.get("b", encoding).complete("b");
    assertEquals(2, cache.stats().entries());
    cache.clear();
    assertEquals(0, cache.stats().entries());
    cache.get("a", encoding);
    assertEquals(3, encoding.runs.get());
  }

  public void testAtLeastOneEntry() {
    IllegalArgumentException e =
        expectThrows(
            IllegalArgumentException.class,
            () -> new QueryFaceCache<String>(0, TimeValue.timeValueMinutes(1)));
    assertEquals("the query face cache needs room for at least one entry, got [0]", e.getMessage());
  }
}
