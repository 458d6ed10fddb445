package org.facesearch.bench.chart;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.Test;

public class BarChartTest {

    private static int countColour(BufferedImage image, int x0, int x1, int y0, int y1, int rgb) {
        int n = 0;
        for (int y = Math.max(0, y0); y < Math.min(image.getHeight(), y1); y++) {
            for (int x = Math.max(0, x0); x < Math.min(image.getWidth(), x1); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    public void barsAreProportionalToTheirValues() {
        // One category, two series: 25 and 100 on a 0..100 axis. The second bar is 4 times as tall.
        BarChart chart = new BarChart("t", "y", List.of("a"), List.of(new BarChart.Series("low", new double[] {25}),
            new BarChart.Series("high", new double[] {100})), 0, 100, null);
        BufferedImage image = chart.render(400, 300);
        int first = Palette.color(0).getRGB() & 0xFFFFFF;
        int second = Palette.color(1).getRGB() & 0xFFFFFF;
        // Leave out the legend swatches (top rows): only count below them.
        int low = countColour(image, 0, 400, 60, 300, first);
        int high = countColour(image, 0, 400, 60, 300, second);
        assertTrue("both bars drawn: " + low + ", " + high, low > 100 && high > 100);
        assertEquals(4.0, (double) high / low, 0.25);
    }

    @Test
    public void negativeValuesHangBelowZero() {
        BarChart chart = new BarChart("t", "y", List.of("a", "b"), List.of(new BarChart.Series("d", new double[] {-5, 5})), -10, 10, "%.0f");
        BufferedImage image = chart.render(400, 300);
        int colour = Palette.color(0).getRGB() & 0xFFFFFF;
        // The plot spans the same height above and below zero, so the two bars are mirror images in area.
        // Groups: x 64..224 and 224..384.
        int left = countColour(image, 0, 224, 60, 300, colour);
        int right = countColour(image, 224, 400, 60, 300, colour);
        assertTrue(left > 50);
        assertEquals(1.0, (double) left / right, 0.1);
    }

    @Test
    public void writesAReadablePng() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "chart");
        Path file = dir.resolve("sub/c.png");
        new BarChart("t", "y", List.of("a\nb"), List.of(new BarChart.Series("s", new double[] {Double.NaN})), 0, 1, "%.1f").writePng(file, 320, 200);
        BufferedImage back = ImageIO.read(new File(file.toString()));
        assertArrayEquals(new int[] {320, 200}, new int[] {back.getWidth(), back.getHeight()});
        Files.delete(file);
        Files.delete(file.getParent());
        Files.delete(dir);
    }

    @Test
    public void refusesInconsistentInput() {
        assertThrows(IllegalArgumentException.class, () -> new BarChart("t", "y", List.of("a", "b"),
            List.of(new BarChart.Series("s", new double[] {1})), 0, 1, null));
        assertThrows(IllegalArgumentException.class, () -> new BarChart("t", "y", List.of("a"),
            List.of(new BarChart.Series("s", new double[] {1})), 1, 1, null));
        assertThrows(IllegalArgumentException.class, () -> new BarChart("t", "y", List.of(), List.of(), 0, 1, null));
    }

    @Test
    public void tickSteps() {
        assertEquals(20.0, BarChart.niceStep(16.7), 1e-12);
        assertEquals(1.0, BarChart.niceStep(1.0), 1e-12);
        assertEquals(0.5, BarChart.niceStep(0.3), 1e-12);
        assertEquals(10.0, BarChart.niceStep(5.5), 1e-12);
    }
}
