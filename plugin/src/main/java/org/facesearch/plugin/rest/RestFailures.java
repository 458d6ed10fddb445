package org.facesearch.plugin.rest;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import org.facesearch.encoder.InferenceRejectedException;
import org.opensearch.core.concurrency.OpenSearchRejectedExecutionException;
import org.opensearch.rest.BytesRestResponse;
import org.opensearch.rest.RestChannel;

/** How the plugin's REST handlers answer a failure: bad input 400, a full inference queue 429. */
public final class RestFailures {

  private RestFailures() {}

  /**
   * The exception to answer with for {@code failure} (unwrapped from a {@link
   * CompletionException}): a full inference queue becomes a 429 that says to retry; an {@link
   * IllegalArgumentException} stays one (400), its message prefixed with {@code field} when given.
   */
  public static Exception toResponse(Throwable failure, String what, String field) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof InferenceRejectedException rejected) {
      return new OpenSearchRejectedExecutionException(
          "[" + what + "] " + rejected.getMessage() + "; retry later");
    }
    if (cause instanceof IllegalArgumentException e && field != null) {
      return new IllegalArgumentException("[" + field + "] " + e.getMessage(), e);
    }
    return cause instanceof Exception e ? e : new RuntimeException(cause);
  }

  /** Sends {@code e} as the response; a failure to send is thrown, with {@code e} attached. */
  public static void send(RestChannel channel, Exception e) {
    try {
      channel.sendResponse(new BytesRestResponse(channel, e));
    } catch (IOException io) {
      e.addSuppressed(io);
      throw new IllegalStateException("could not send the error response", e);
    }
  }
}
