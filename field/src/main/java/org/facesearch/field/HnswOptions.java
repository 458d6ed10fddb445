package org.facesearch.field;

import java.util.Map;

/**
 * HNSW graph parameters of a face field: {@code m} links per node, {@code ef_construction} beam
 * width.
 */
record HnswOptions(int m, int efConstruction) {

  static final HnswOptions DEFAULT = new HnswOptions(16, 100);

  HnswOptions {
    // Lucene's HNSW accepts 1..512 links and a beam of 1..3200.
    if (m < 2 || m > 512) {
      throw new IllegalArgumentException("[hnsw.m] must be between 2 and 512, got [" + m + "]");
    }
    if (efConstruction < 1 || efConstruction > 3200) {
      throw new IllegalArgumentException(
          "[hnsw.ef_construction] must be between 1 and 3200, got [" + efConstruction + "]");
    }
  }

  static HnswOptions parse(Object value) {
    if (!(value instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(
          "[hnsw] must be an object with [m] and [ef_construction], got [" + value + "]");
    }
    int m = DEFAULT.m();
    int ef = DEFAULT.efConstruction();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = String.valueOf(e.getKey());
      switch (key) {
        case "m" -> m = intValue("hnsw.m", e.getValue());
        case "ef_construction" -> ef = intValue("hnsw.ef_construction", e.getValue());
        default ->
            throw new IllegalArgumentException(
                "[hnsw] has an unknown option [" + key + "]; known: [m, ef_construction]");
      }
    }
    return new HnswOptions(m, ef);
  }

  static int intValue(String option, Object value) {
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.intValue();
    }
    if (value instanceof String s) {
      try {
        return Integer.parseInt(s);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "[" + option + "] must be an integer, got [" + s + "]", e);
      }
    }
    throw new IllegalArgumentException("[" + option + "] must be an integer, got [" + value + "]");
  }
}
