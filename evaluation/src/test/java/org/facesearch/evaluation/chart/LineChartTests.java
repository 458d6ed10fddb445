package org.facesearch.evaluation.chart;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import java.awt.BasicStroke;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.junit.Test;

public class LineChartTests {

  @Test
  public void seriesMarkersAndAxesAsAsked() {
    JFreeChart chart =
        new LineChart("t", "x", "y")
            .series("s", new double[] {0, 0.5, 1}, new double[] {0.2, 0.1, 0.05})
            .dashedSeries("d", new double[] {0.5}, new double[] {0.2})
            .marker(0.25, "gamma")
            .percent(true, false)
            .xRange(0, 1)
            .yRange(0, 0.3)
            .chart();
    XYPlot plot = chart.getXYPlot();
    assertEquals(2, plot.getDataset().getSeriesCount());
    assertEquals(3, plot.getDataset().getItemCount(0));
    assertEquals(0.1, plot.getDataset().getYValue(0, 1), 0);
    XYItemRenderer lines = plot.getRenderer();
    assertNull("solid", ((BasicStroke) lines.getSeriesStroke(0)).getDashArray());
    assertNotNull("dashed", ((BasicStroke) lines.getSeriesStroke(1)).getDashArray());
    assertEquals(Palette.color(1), lines.getSeriesPaint(1));
    ValueMarker marker =
        (ValueMarker) plot.getDomainMarkers(org.jfree.chart.ui.Layer.FOREGROUND).iterator().next();
    assertEquals(0.25, marker.getValue(), 0);
    assertEquals("gamma", marker.getLabel());
    NumberAxis x = (NumberAxis) plot.getDomainAxis();
    assertEquals("5%", x.getNumberFormatOverride().format(0.05));
    assertEquals("1.5%", x.getNumberFormatOverride().format(0.015));
    assertNull("y stays plain", ((NumberAxis) plot.getRangeAxis()).getNumberFormatOverride());
    assertEquals(0.3, plot.getRangeAxis().getUpperBound(), 0);
  }

  @Test
  public void writesAPngOfTheAskedSize() throws Exception {
    Path png = Files.createTempFile("chart", ".png");
    try {
      new LineChart("t", "x", "y")
          .series("s", new double[] {0, 1}, new double[] {0, 1})
          .dashedSeries("d", new double[] {0.5}, new double[] {0.2})
          .marker(0.5, "m")
          .percent(true, true)
          .legendLeft()
          .write(png, 320, 200);
      BufferedImage read = ImageIO.read(png.toFile());
      assertEquals(320, read.getWidth());
      assertEquals(200, read.getHeight());
    } finally {
      Files.delete(png);
    }
  }

  @Test
  public void refusesInconsistentInput() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new LineChart("t", "x", "y").series("s", new double[] {0, 1}, new double[] {0}));
    assertThrows(
        IllegalStateException.class,
        () -> new LineChart("t", "x", "y").write(Path.of("target/never.png")));
    assertThrows(IllegalArgumentException.class, () -> new LineChart("t", "x", "y").yRange(1, 1));
  }
}
