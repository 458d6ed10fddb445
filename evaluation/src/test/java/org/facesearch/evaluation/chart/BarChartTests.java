package org.facesearch.evaluation.chart;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.entity.CategoryItemEntity;
import org.jfree.chart.entity.ChartEntity;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.junit.Test;

public class BarChartTests {

  /**
   * The drawn bars, in the order the renderer drew them (series by series), as screen rectangles.
   */
  private static List<Rectangle2D> bars(BarChart chart, int width, int height) {
    ChartRenderingInfo info = new ChartRenderingInfo();
    chart.chart().createBufferedImage(width, height, info);
    List<Rectangle2D> out = new ArrayList<>();
    for (Object e : info.getEntityCollection().getEntities()) {
      if (e instanceof CategoryItemEntity item) {
        out.add(((ChartEntity) item).getArea().getBounds2D());
      }
    }
    return out;
  }

  @Test
  public void barsAreProportionalToTheirValues() {
    // One category, two series: 25 and 100 on a 0..100 axis. The second bar is 4 times as tall.
    BarChart chart =
        new BarChart(
            "t",
            "y",
            List.of("a"),
            List.of(
                new BarChart.Series("low", new double[] {25}),
                new BarChart.Series("high", new double[] {100})),
            0,
            100,
            null);
    List<Rectangle2D> bars = bars(chart, 400, 300);
    assertEquals(2, bars.size());
    assertTrue("the high bar is drawn: " + bars.get(1), bars.get(1).getHeight() > 100);
    assertEquals(4.0, bars.get(1).getHeight() / bars.get(0).getHeight(), 0.05);
    // Both grow from the same base line.
    assertEquals(bars.get(0).getMaxY(), bars.get(1).getMaxY(), 1.0);
  }

  @Test
  public void negativeValuesHangBelowZero() {
    BarChart chart =
        new BarChart(
            "t",
            "y",
            List.of("a", "b"),
            List.of(new BarChart.Series("d", new double[] {-5, 5})),
            -10,
            10,
            "%.0f");
    List<Rectangle2D> bars = bars(chart, 400, 300);
    assertEquals(2, bars.size());
    // The axis spans as much above zero as below, so the two bars mirror each other about zero.
    assertEquals(bars.get(0).getHeight(), bars.get(1).getHeight(), 1.0);
    assertEquals(
        "the negative bar starts where the positive one ends",
        bars.get(1).getMaxY(),
        bars.get(0).getMinY(),
        1.0);
  }

  @Test
  public void missingValuesDrawNoBarAndLabelsFollowTheFormat() {
    // String.format rounds half up: 42.25 prints as 42.3.
    BarChart chart =
        new BarChart(
            "t",
            "y",
            List.of("a\nb", "c"),
            List.of(new BarChart.Series("s", new double[] {Double.NaN, 42.25})),
            0,
            100,
            "%.1f");
    assertEquals(1, bars(chart, 400, 300).size());
    JFreeChart built = chart.chart();
    CategoryPlot plot = built.getCategoryPlot();
    assertEquals(List.of("a b", "c"), plot.getDataset().getColumnKeys());
    assertNull(plot.getDataset().getValue(0, 0));
    BarRenderer renderer = (BarRenderer) plot.getRenderer();
    assertEquals(
        "42.3", renderer.getDefaultItemLabelGenerator().generateLabel(plot.getDataset(), 0, 1));
    assertEquals(Palette.color(0), renderer.getSeriesPaint(0));
    assertEquals(0, plot.getRangeAxis().getLowerBound(), 0);
    // Printed values get room above 100, so that a full bar's label stays inside the plot.
    assertEquals(106, plot.getRangeAxis().getUpperBound(), 1e-9);
    assertEquals(
        100,
        new BarChart(
                "t",
                "y",
                List.of("a"),
                List.of(new BarChart.Series("s", new double[] {1})),
                0,
                100,
                null)
            .chart()
            .getCategoryPlot()
            .getRangeAxis()
            .getUpperBound(),
        0);
  }

  @Test
  public void writesAReadablePng() throws Exception {
    Files.createDirectories(Path.of("target"));
    Path dir = Files.createTempDirectory(Path.of("target"), "chart");
    Path file = dir.resolve("sub/c.png");
    new BarChart(
            "t",
            "y",
            List.of("a\nb"),
            List.of(new BarChart.Series("s", new double[] {0.5})),
            0,
            1,
            "%.1f")
        .writePng(file, 320, 200);
    BufferedImage back = ImageIO.read(new File(file.toString()));
    assertArrayEquals(new int[] {320, 200}, new int[] {back.getWidth(), back.getHeight()});
    Files.delete(file);
    Files.delete(file.getParent());
    Files.delete(dir);
  }

  @Test
  public void refusesInconsistentInput() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new BarChart(
                "t",
                "y",
                List.of("a", "b"),
                List.of(new BarChart.Series("s", new double[] {1})),
                0,
                1,
                null));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new BarChart(
                "t",
                "y",
                List.of("a"),
                List.of(new BarChart.Series("s", new double[] {1})),
                1,
                1,
                null));
    assertThrows(
        IllegalArgumentException.class,
        () -> new BarChart("t", "y", List.of(), List.of(), 0, 1, null));
  }
}
