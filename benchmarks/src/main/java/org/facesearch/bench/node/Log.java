package org.facesearch.bench.node;

import java.util.Locale;

/**
 * Progress lines with the seconds since the benchmark started, so slow steps show where time goes.
 */
final class Log {
  private static final long START = System.nanoTime();

  private Log() {}

  static void line(String format, Object... args) {
    System.out.printf(
        Locale.ROOT,
        "[%7.1f s] %s%n",
        (System.nanoTime() - START) / 1e9,
        String.format(Locale.ROOT, format, args));
  }
}
