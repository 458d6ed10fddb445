package org.facesearch.bench.chart;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.junit.Test;

public class LineChartTest {

    @Test
    public void ticksAreRoundSteps() {
        // 0.3 / 8 = 0.0375 -> the next of 1, 2, 2.5, 5 x 10^-2 is 0.05.
        assertArrayEquals(new double[] {0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3}, LineChart.ticks(0, 0.3, 8), 1e-12);
        // 1 / 6 = 0.1667 -> 0.2.
        assertArrayEquals(new double[] {0, 0.2, 0.4, 0.6, 0.8, 1.0}, LineChart.ticks(0, 1, 6), 1e-12);
        // 0.027 / 6 = 0.0045 -> 0.005, starting at the first multiple >= the minimum.
        assertArrayEquals(new double[] {0.005, 0.01, 0.015, 0.02, 0.025}, LineChart.ticks(0.003, 0.027, 6), 1e-12);
    }

    @Test
    public void writesAPngOfTheAskedSize() throws Exception {
        System.setProperty("java.awt.headless", "true");
        Path png = Files.createTempFile("chart", ".png");
        try {
            new LineChart("t", "x", "y").series("s", new double[] {0, 1}, new double[] {0, 1}).dashedSeries("d", new double[] {0.5}, new double[] {0.2})
                .marker(0.5, "m").percent(true, true).legendLeft().write(png, 320, 200);
            BufferedImage read = ImageIO.read(png.toFile());
            assertEquals(320, read.getWidth());
            assertEquals(200, read.getHeight());
        } finally {
            Files.delete(png);
        }
        assertThrows(IllegalArgumentException.class, () -> new LineChart("t", "x", "y").series("s", new double[] {0, 1}, new double[] {0}));
        assertThrows(IllegalStateException.class, () -> new LineChart("t", "x", "y").write(Path.of("/nonexistent/x.png")));
    }
}
