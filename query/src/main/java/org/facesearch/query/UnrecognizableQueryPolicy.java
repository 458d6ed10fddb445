package org.facesearch.query;

import java.util.Locale;

/** What a face query does when its query face is less recognizable than {@code query_min_ers}. */
public enum UnrecognizableQueryPolicy {
  /** HTTP 400 that reports the query's ERS and the threshold. */
  ERROR,
  /** No hits; a response warning says why. */
  EMPTY,
  /** Search anyway. */
  IGNORE;

  public String displayName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static UnrecognizableQueryPolicy fromName(String value) {
    for (UnrecognizableQueryPolicy p : values()) {
      if (p.displayName().equals(value)) {
        return p;
      }
    }
    throw new IllegalArgumentException("[on_unrecognizable_query] must be one of [error, empty, ignore], got [" + value + "]");
  }
}
