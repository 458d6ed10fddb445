package org.facesearch.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * A request whose {@code Warning} headers a test reads: OpenSearch says what a search did not do as
 * it was asked (stage 2 stopped at the timeout, unfinished Sinkhorn solves) in these headers, which
 * {@code NodeClient}'s answers do not carry. The JDK's own HTTP client, for these requests only.
 */
final class WarningHeaders {

  /** An answer: status, body text and the values of its Warning headers. */
  record Answer(int status, String text, List<String> warnings) {}

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private WarningHeaders() {}

  static Answer post(int port, String endpoint, String json) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + endpoint))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(
          response.statusCode(), response.body(), response.headers().allValues("Warning"));
    } catch (IOException e) {
      throw new UncheckedIOException("POST " + endpoint + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
