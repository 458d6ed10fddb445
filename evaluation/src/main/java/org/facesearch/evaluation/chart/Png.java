package org.facesearch.evaluation.chart;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.title.TextTitle;

/** What the two chart kinds share: the look of a JFreeChart and writing it as a PNG. */
final class Png {
  private Png() {}

  static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
  static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
  static final Color GRID = new Color(0xd9d9d9);

  /** White background, a plain title; headless, since the tools run without a display. */
  static JFreeChart styled(JFreeChart chart) {
    System.setProperty("java.awt.headless", "true");
    chart.setBackgroundPaint(Color.WHITE);
    chart.setAntiAlias(true);
    chart.setTextAntiAlias(true);
    TextTitle title = chart.getTitle();
    if (title != null) {
      title.setFont(TITLE);
    }
    return chart;
  }

  /** Writes {@code chart} as a {@code width x height} PNG, creating the folder if needed. */
  static void write(JFreeChart chart, Path file, int width, int height) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    ChartUtils.saveChartAsPNG(file.toFile(), chart, width, height);
  }
}
