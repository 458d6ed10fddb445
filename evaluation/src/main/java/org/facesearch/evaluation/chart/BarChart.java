package org.facesearch.evaluation.chart;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.CategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * A grouped bar chart (JFreeChart), written as PNG. Categories run along the x axis; each category
 * holds one bar per series, coloured from {@link Palette}. Bars grow from zero, so negative values
 * hang below it; {@code NaN} values draw no bar.
 *
 * <pre>
 * new BarChart("P@1 by query version", "P@1 (%)", List.of("clean", "mask"),
 *     List.of(new BarChart.Series("stage 1", new double[] {98.0, 81.4})), 0, 100, "%.1f")
 *     .writePng(Path.of("docs/images/x.png"), 900, 420);
 * </pre>
 *
 * @param title drawn above the plot
 * @param yLabel the value axis label
 * @param categories x-axis groups; a {@code '\n'} in a name is a preferred line break (long names
 *     wrap)
 * @param series one bar per category each, in legend order
 * @param yMin lower end of the value axis
 * @param yMax upper end of the value axis (&gt; yMin; a little more when values are printed)
 * @param valueFormat {@link String#format} pattern of the number printed above each bar ({@code
 *     null}: none)
 */
public record BarChart(
    String title,
    String yLabel,
    List<String> categories,
    List<Series> series,
    double yMin,
    double yMax,
    String valueFormat) {

  /** The share of the value range added above yMax when values are printed above the bars. */
  static final double LABEL_ROOM = 0.06;

  /** One series: a name for the legend and one value per category. */
  public record Series(String name, double[] values) {}

  public BarChart {
    if (categories.isEmpty() || series.isEmpty()) {
      throw new IllegalArgumentException("a bar chart needs at least one category and one series");
    }
    if (!(yMax > yMin)) {
      throw new IllegalArgumentException(
          "yMax must be above yMin, got [" + yMin + ", " + yMax + "]");
    }
    for (Series s : series) {
      if (s.values().length != categories.size()) {
        throw new IllegalArgumentException(
            "series ["
                + s.name()
                + "] has "
                + s.values().length
                + " values for "
                + categories.size()
                + " categories");
      }
    }
    categories = List.copyOf(categories);
    series = List.copyOf(series);
  }

  /** The chart, ready to draw. */
  public JFreeChart chart() {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (Series s : series) {
      for (int c = 0; c < categories.size(); c++) {
        double v = s.values()[c];
        data.addValue(Double.isNaN(v) ? null : v, s.name(), categories.get(c).replace('\n', ' '));
      }
    }
    JFreeChart chart =
        Png.styled(
            ChartFactory.createBarChart(
                title, null, yLabel, data, PlotOrientation.VERTICAL, true, false, false));
    chart.getLegend().setPosition(RectangleEdge.TOP);
    chart.getLegend().setItemFont(Png.LABEL);
    CategoryPlot plot = chart.getCategoryPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setOutlineVisible(false);
    plot.setRangeGridlinePaint(Png.GRID);
    NumberAxis values = (NumberAxis) plot.getRangeAxis();
    // With values printed above the bars, room above yMax keeps the label of a full-height bar
    // inside the plot.
    values.setRange(yMin, valueFormat == null ? yMax : yMax + LABEL_ROOM * (yMax - yMin));
    values.setLabelFont(Png.LABEL);
    CategoryAxis groups = plot.getDomainAxis();
    groups.setMaximumCategoryLabelLines(3);
    groups.setTickLabelFont(Png.LABEL);
    BarRenderer bars = (BarRenderer) plot.getRenderer();
    bars.setBarPainter(new StandardBarPainter()); // flat colours, no gradient
    bars.setShadowVisible(false);
    bars.setItemMargin(0.03);
    for (int s = 0; s < series.size(); s++) {
      bars.setSeriesPaint(s, Palette.color(s));
    }
    if (valueFormat != null) {
      bars.setDefaultItemLabelGenerator(new Labels(valueFormat));
      bars.setDefaultItemLabelsVisible(true);
      bars.setDefaultItemLabelFont(Png.LABEL.deriveFont(10f));
    }
    return chart;
  }

  /** Renders the chart and writes it as a PNG, creating the parent folder if needed. */
  public void writePng(Path file, int width, int height) throws IOException {
    Png.write(chart(), file, width, height);
  }

  /** The chart drawn at {@code width x height}. */
  public BufferedImage render(int width, int height) {
    return chart().createBufferedImage(width, height);
  }

  /** Each bar's value printed with a {@link String#format} pattern. */
  private record Labels(String format) implements CategoryItemLabelGenerator {
    @Override
    public String generateRowLabel(CategoryDataset dataset, int row) {
      return dataset.getRowKey(row).toString();
    }

    @Override
    public String generateColumnLabel(CategoryDataset dataset, int column) {
      return dataset.getColumnKey(column).toString();
    }

    @Override
    public String generateLabel(CategoryDataset dataset, int row, int column) {
      Number v = dataset.getValue(row, column);
      return v == null ? null : String.format(Locale.ROOT, format, v.doubleValue());
    }
  }
}
