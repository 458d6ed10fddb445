package org.facesearch.evaluation.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTitleAnnotation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A line chart (JFreeChart) written as PNG: solid or dashed series coloured from {@link Palette},
 * labelled vertical markers, optional fixed axis ranges and percentage tick labels, the legend
 * inside the plot.
 *
 * <pre>
 * new LineChart("ERC", "images rejected", "FNMR").series("ERS", x, y).marker(0.015, "gamma = 0.81")
 *     .percent(true, true).write(Path.of("docs/images/erc.png"));
 * </pre>
 */
public final class LineChart {
  private record Series(String name, double[] x, double[] y, boolean dashed) {}

  private record Marker(double x, String label) {}

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final List<Series> series = new ArrayList<>();
  private final List<Marker> markers = new ArrayList<>();
  private double[] xRange;
  private double[] yRange;
  private boolean percentX;
  private boolean percentY;
  private boolean legendLeft;
  private boolean logX;
  private boolean logY;
  private boolean points;

  /** A chart with a title and axis labels. */
  public LineChart(String title, String xLabel, String yLabel) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  /** Adds a solid line through the points, in order. */
  public LineChart series(String name, double[] x, double[] y) {
    return add(name, x, y, false);
  }

  /** Adds a dashed line through the points, in order. */
  public LineChart dashedSeries(String name, double[] x, double[] y) {
    return add(name, x, y, true);
  }

  private LineChart add(String name, double[] x, double[] y, boolean dashed) {
    if (x.length != y.length) {
      throw new IllegalArgumentException(
          "series [" + name + "] has " + x.length + " x values and " + y.length + " y values");
    }
    series.add(new Series(name, x.clone(), y.clone(), dashed));
    return this;
  }

  /** A dashed vertical line at {@code x} with a label. */
  public LineChart marker(double x, String label) {
    markers.add(new Marker(x, label));
    return this;
  }

  public LineChart xRange(double min, double max) {
    xRange = range(min, max);
    return this;
  }

  public LineChart yRange(double min, double max) {
    yRange = range(min, max);
    return this;
  }

  private static double[] range(double min, double max) {
    if (!(max > min)) {
      throw new IllegalArgumentException(
          "an axis range needs max above min, got [" + min + ", " + max + "]");
    }
    return new double[] {min, max};
  }

  /** Tick labels as percentages (the values are fractions). */
  public LineChart percent(boolean x, boolean y) {
    percentX = x;
    percentY = y;
    return this;
  }

  /**
   * Logarithmic axes (for values spanning decades, e.g. gallery sizes); every value on them must be
   * above 0.
   */
  public LineChart log(boolean x, boolean y) {
    logX = x;
    logY = y;
    return this;
  }

  /** A dot at each point as well as the line (for series of few points). */
  public LineChart points() {
    points = true;
    return this;
  }

  /** The legend in the plot's top left corner instead of its top right. */
  public LineChart legendLeft() {
    legendLeft = true;
    return this;
  }

  /** The chart, ready to draw. */
  public JFreeChart chart() {
    if (series.isEmpty()) {
      throw new IllegalStateException("a chart needs at least one series");
    }
    XYSeriesCollection data = new XYSeriesCollection();
    for (Series s : series) {
      XYSeries xy = new XYSeries(s.name(), false, true);
      for (int i = 0; i < s.x().length; i++) {
        xy.add(s.x()[i], s.y()[i]);
      }
      data.addSeries(xy);
    }
    JFreeChart chart =
        Png.styled(
            ChartFactory.createXYLineChart(
                title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, false, false));
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setOutlineVisible(false);
    plot.setDomainGridlinePaint(Png.GRID);
    plot.setRangeGridlinePaint(Png.GRID);
    XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, points);
    for (int s = 0; s < series.size(); s++) {
      lines.setSeriesPaint(s, Palette.color(s));
      lines.setSeriesStroke(
          s,
          series.get(s).dashed()
              ? new BasicStroke(
                  2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10, new float[] {9, 6}, 0)
              : new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    }
    plot.setRenderer(lines);
    if (logX) {
      plot.setDomainAxis(logAxis(xLabel, xRange));
    } else {
      axis((NumberAxis) plot.getDomainAxis(), xRange, percentX);
    }
    if (logY) {
      plot.setRangeAxis(logAxis(yLabel, yRange));
    } else {
      axis((NumberAxis) plot.getRangeAxis(), yRange, percentY);
    }
    for (Marker m : markers) {
      ValueMarker line =
          new ValueMarker(
              m.x(),
              new Color(0x555555),
              new BasicStroke(
                  1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {4, 4}, 0));
      line.setLabel(m.label());
      line.setLabelFont(Png.LABEL);
      line.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
      line.setLabelTextAnchor(TextAnchor.TOP_LEFT);
      plot.addDomainMarker(line);
    }
    // The legend inside the plot, where the curves leave room, as a box over the grid.
    LegendTitle legend = chart.getLegend();
    chart.removeLegend();
    legend.setItemFont(Png.LABEL);
    legend.setBackgroundPaint(new Color(255, 255, 255, 230));
    legend.setFrame(new BlockBorder(Color.GRAY));
    legend.setPosition(RectangleEdge.TOP);
    plot.addAnnotation(
        legendLeft
            ? new XYTitleAnnotation(0.02, 0.98, legend, RectangleAnchor.TOP_LEFT)
            : new XYTitleAnnotation(0.98, 0.98, legend, RectangleAnchor.TOP_RIGHT));
    return chart;
  }

  private static ValueAxis logAxis(String label, double[] range) {
    LogAxis axis = new LogAxis(label);
    // A tick at each power of ten: the automatic units of a log axis fall on values like 3,162.278.
    axis.setTickUnit(new NumberTickUnit(1));
    axis.setLabelFont(Png.LABEL);
    axis.setTickLabelFont(Png.LABEL);
    axis.setNumberFormatOverride(NumberFormat.getNumberInstance(Locale.ROOT));
    if (range != null) {
      axis.setRange(range[0], range[1]);
    }
    return axis;
  }

  private static void axis(NumberAxis axis, double[] range, boolean percent) {
    axis.setLabelFont(Png.LABEL);
    if (range != null) {
      axis.setRange(range[0], range[1]);
    }
    if (percent) {
      NumberFormat f = NumberFormat.getPercentInstance(Locale.ROOT);
      f.setMaximumFractionDigits(1);
      axis.setNumberFormatOverride(f);
    }
  }

  /** Renders at 960 x 600 pixels and writes a PNG, creating the folder if needed. */
  public void write(Path png) throws IOException {
    write(png, 960, 600);
  }

  /** Renders at {@code width x height} pixels and writes a PNG, creating the folder if needed. */
  public void write(Path png, int width, int height) throws IOException {
    Png.write(chart(), png, width, height);
  }
}
