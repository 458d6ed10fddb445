package org.facesearch.evaluation.identification;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting on futures without hiding failures: an exception in a task is rethrown in the caller. */
final class BenchThreads {
  private BenchThreads() {}

  static <T> T await(Future<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a benchmark task", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("a benchmark task failed: " + cause, cause);
    }
  }
}
