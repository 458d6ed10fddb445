package org.facesearch.bench.node;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.facesearch.cli.Json;

/**
 * Tallies the items of {@code _bulk} answers: indexed documents and failures by error type and
 * reason.
 */
final class BulkAnswers {
  private long indexed;
  private long failed;
  private final Map<String, Long> failures = new TreeMap<>();

  void add(byte[] answer) {
    JsonNode items = Json.at(Json.parse(answer), "/items");
    for (JsonNode item : items) {
      JsonNode result = item.elements().next();
      int status = result.path("status").asInt(-1);
      if (status >= 200 && status < 300) {
        indexed++;
      } else {
        failed++;
        JsonNode error = result.path("error");
        String reason =
            status
                + " "
                + error.path("type").asText("?")
                + ": "
                + error.path("reason").asText(error.toString());
        failures.merge(
            reason.length() > 160 ? reason.substring(0, 160) + "..." : reason, 1L, Long::sum);
      }
    }
  }

  long indexed() {
    return indexed;
  }

  long failed() {
    return failed;
  }

  /**
   * Fails the benchmark when more than {@code maxShare} of the documents failed; prints every
   * failure kind.
   */
  void check(String what, double maxShare) {
    if (failed > 0) {
      System.out.printf(
          Locale.ROOT, "  %s: %d of %d documents failed:%n", what, failed, indexed + failed);
      failures.forEach(
          (reason, count) -> System.out.printf(Locale.ROOT, "    %5d x %s%n", count, reason));
    }
    if (failed > maxShare * (indexed + failed)) {
      throw new IllegalStateException(
          what + ": " + failed + " of " + (indexed + failed) + " documents failed (see above)");
    }
  }
}
