package org.facesearch.query;

import org.facesearch.option.EnumOption;

/** What a face query does when its query face is less recognizable than {@code query_min_ers}. */
public enum UnrecognizableQueryPolicy {
  /** HTTP 400 that reports the query's ERS and the threshold. */
  ERROR,
  /** No hits; a response warning says why. */
  EMPTY,
  /** Search anyway. */
  IGNORE;

  /**
   * The name in requests ({@code error}, {@code empty}, {@code ignore}), parsed with {@link
   * EnumOption}.
   */
  public String displayName() {
    return EnumOption.wireName(this);
  }
}
