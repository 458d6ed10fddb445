package org.facesearch.queryface;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.opensearch.common.cache.Cache;
import org.opensearch.common.cache.CacheBuilder;
import org.opensearch.common.unit.TimeValue;

/**
 * Encoded query faces by content: the SHA-256 of the image bytes with the model and mode. Holds
 * futures, so requests (or the two stages of one request) asking for an image while it is being
 * encoded share that one encoding. Bounded by entries, least recently used first out; an entry not
 * asked for within {@code expireAfterAccess} leaves (query photos are biometric data: they are not
 * kept longer than they are useful). Failures are not kept: the next request tries again.
 *
 * @param <V> what an image encodes to
 */
public final class QueryFaceCache<V> {

  /** What the cache holds and how it was used since the node started. */
  public record Stats(long entries, long hits, long misses, long evictions) {}

  private final Cache<String, CompletableFuture<V>> cache;

  /**
   * @param maxEntries the most images held
   * @param expireAfterAccess how long an image not asked for again stays
   */
  public QueryFaceCache(int maxEntries, TimeValue expireAfterAccess) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException(
          "the query face cache needs room for at least one entry, got [" + maxEntries + "]");
    }
    this.cache =
        CacheBuilder.<String, CompletableFuture<V>>builder()
            .setMaximumWeight(maxEntries)
            .setExpireAfterAccess(expireAfterAccess)
            .build();
  }

  /**
   * The cached or in-flight future for {@code key}, or a new one from {@code compute}, which runs
   * at most once per key at a time; a future that fails leaves the cache.
   */
  public CompletableFuture<V> get(String key, Supplier<CompletableFuture<V>> compute) {
    boolean[] computed = {false};
    CompletableFuture<V> future;
    try {
      future =
          cache.computeIfAbsent(
              key,
              k -> {
                computed[0] = true;
                try {
                  return compute.get();
                } catch (RuntimeException e) {
                  return CompletableFuture.failedFuture(e);
                }
              });
    } catch (ExecutionException e) {
      // The loader never throws (failures become failed futures); anything else is a bug.
      throw new IllegalStateException("the query face cache failed to load [" + key + "]", e);
    }
    if (computed[0]) {
      CompletableFuture<V> mine = future;
      mine.whenComplete((value, failure) -> {
        if (failure != null) {
          cache.invalidate(key, mine);
        }
      });
    }
    return future;
  }

  /** Empties the cache (counters keep counting). */
  public void clear() {
    cache.invalidateAll();
  }

  public Stats stats() {
    Cache.CacheStats s = cache.stats();
    return new Stats(cache.count(), s.getHits(), s.getMisses(), s.getEvictions());
  }
}
