package org.facesearch.rescore;

import java.util.Locale;

/**
 * The node's bound on the work one {@code face_emd} rescore may ask for: {@code window_size x
 * max_iterations x} (query cells x candidate cells), the matrix entries Sinkhorn may update, per
 * shard. The plugin keeps it equal to the node setting {@value #MAX_WORK_SETTING}.
 */
public final class RescoreLimits {

  /** The node setting this bound follows. */
  public static final String MAX_WORK_SETTING = "plugins.face.rescore.max_work";

  /**
   * The default bound, 2.5e8 entry updates: ten times the default request (100 hits x 100
   * iterations x 49 x 49 cells = 2.4e7), so a window of 1000 at the default iterations, or 1000
   * iterations at the default window, fit. At small epsilon Sinkhorn runs in log space, an {@code
   * exp} per entry update (about 12 ns on one core of a 2-core machine), so the largest rescore
   * allowed takes about 3 s per shard; on the kernel path (the default epsilon) a tenth of a
   * second. See docs/reliability.md.
   */
  public static final long DEFAULT_MAX_WORK = 250_000_000L;

  private volatile long maxWork;

  public RescoreLimits(long maxWork) {
    maxWork(maxWork);
  }

  /** The bound in force. */
  public long maxWork() {
    return maxWork;
  }

  /** Sets the bound (the setting is dynamic). */
  public void maxWork(long maxWork) {
    if (maxWork < 1) {
      throw new IllegalArgumentException(
          "[" + MAX_WORK_SETTING + "] must be at least 1, got [" + maxWork + "]");
    }
    this.maxWork = maxWork;
  }

  /**
   * Refuses a rescore whose work exceeds the bound, with a message that names the setting.
   *
   * @param cells the cells of the grid scored ({@code 49} for the native 7x7 map, 16 for {@code
   *     4x4})
   */
  void check(int windowSize, int maxIterations, int cells) {
    // In double: 10000 x 10000 x 4096^2 does not fit a long.
    double work = (double) windowSize * maxIterations * cells * cells;
    long bound = maxWork;
    if (work > bound) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "[face_emd] asks for [window_size] %d x [max_iterations] %d x %d x %d grid cells = %.3g Sinkhorn entry updates per shard, "
                  + "more than [%s] allows (%d): lower window_size or max_iterations, or raise the setting",
              windowSize,
              maxIterations,
              cells,
              cells,
              work,
              MAX_WORK_SETTING,
              bound));
    }
  }
}
