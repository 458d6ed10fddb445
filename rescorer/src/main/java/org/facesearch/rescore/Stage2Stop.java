package org.facesearch.rescore;

import java.util.function.BooleanSupplier;
import org.opensearch.search.SearchService;
import org.opensearch.search.internal.SearchContext;
import org.opensearch.tasks.Task;

/**
 * When stage 2 on one shard must stop: its search task was cancelled ({@code _tasks/_cancel}, or
 * the client gone with {@code cancel_after_time_interval}), or the request's {@code timeout} has
 * passed. The timeout counts from the start of the shard's query phase, as OpenSearch's own timeout
 * of stage 1 does, so stage 1 and stage 2 share it. Asked between hits and every few Sinkhorn
 * iterations; reading the cached clock and the task's flag costs nanoseconds.
 */
final class Stage2Stop implements BooleanSupplier {

  /** Never stops: a rescore context no search bound (a direct test of the rescorer). */
  static final Stage2Stop NEVER = new Stage2Stop(null, Long.MAX_VALUE);

  private final SearchContext search;

  /** In the search context's relative milliseconds; {@link Long#MAX_VALUE} without a timeout. */
  private final long deadline;

  private Stage2Stop(SearchContext search, long deadline) {
    this.search = search;
    this.deadline = deadline;
  }

  /** The stop of {@code search}, its timeout counted from now (the start of its query phase). */
  static Stage2Stop of(SearchContext search) {
    boolean timeoutSet =
        search.scrollContext() == null
            && search.timeout() != null
            && !search.timeout().equals(SearchService.NO_TIMEOUT);
    long deadline =
        timeoutSet
            ? search.getRelativeTimeInMillis(false) + search.timeout().millis()
            : Long.MAX_VALUE;
    return new Stage2Stop(search, deadline);
  }

  @Override
  public boolean getAsBoolean() {
    return cancelled() || timedOut();
  }

  boolean cancelled() {
    if (search == null) {
      return false;
    }
    Task task = search.getTask();
    return task != null && search.isCancelled();
  }

  boolean timedOut() {
    return deadline != Long.MAX_VALUE && search.getRelativeTimeInMillis() > deadline;
  }

  /** The search this stop belongs to (null for {@link #NEVER}). */
  SearchContext search() {
    return search;
  }
}
