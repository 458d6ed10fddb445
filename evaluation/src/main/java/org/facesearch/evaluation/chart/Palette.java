package org.facesearch.evaluation.chart;

import java.awt.Color;

/**
 * The series colours of every chart: the Okabe-Ito palette (distinguishable with common
 * colour-vision deficiencies).
 */
public final class Palette {
  private static final Color[] COLORS = {
    new Color(0, 114, 178), // blue
    new Color(230, 159, 0), // orange
    new Color(0, 158, 115), // bluish green
    new Color(204, 121, 167), // reddish purple
    new Color(86, 180, 233), // sky blue
    new Color(213, 94, 0), // vermillion
    new Color(240, 228, 66), // yellow
    new Color(0, 0, 0), // black
  };

  private Palette() {}

  /** The colour of series {@code index} (cycling after eight). */
  public static Color color(int index) {
    return COLORS[Math.floorMod(index, COLORS.length)];
  }
}
