package org.facesearch.queryface;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Query faces by content: the SHA-256 of the image bytes with the model and mode. Holds futures, so
 * two requests (or the two stages of one request) asking for the same image while it is being
 * encoded share one encoding. Bounded: the least recently used entry goes first; failures are not kept.
 */
final class QueryFaceCache<V> {

  private final int capacity;
  private final Map<String, CompletableFuture<V>> entries;
  private long hits;
  private long misses;

  QueryFaceCache(int capacity) {
    this.capacity = capacity;
    this.entries = new LinkedHashMap<>(16, 0.75f, true);
  }

  /** The cached or in-flight future for {@code key}, or a new one from {@code compute}. */
  CompletableFuture<V> get(String key, Supplier<CompletableFuture<V>> compute) {
    CompletableFuture<V> future;
    synchronized (this) {
      future = entries.get(key);
      if (future != null) {
        hits++;
        return future;
      }
      misses++;
      future = new CompletableFuture<>();
      entries.put(key, future);
      if (entries.size() > capacity) {
        String eldest = entries.keySet().iterator().next();
        entries.remove(eldest);
      }
    }
    CompletableFuture<V> result = future;
    CompletableFuture<V> computed;
    try {
      computed = compute.get();
    } catch (RuntimeException e) {
      computed = CompletableFuture.failedFuture(e);
    }
    computed.whenComplete((value, failure) -> {
      if (failure != null) {
        synchronized (this) {
          entries.remove(key, result);
        }
        result.completeExceptionally(failure);
      } else {
        result.complete(value);
      }
    });
    return result;
  }

  synchronized long hits() {
    return hits;
  }

  synchronized long misses() {
    return misses;
  }

  synchronized int size() {
    return entries.size();
  }
}
