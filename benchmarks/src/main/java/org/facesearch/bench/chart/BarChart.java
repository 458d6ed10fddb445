package org.facesearch.bench.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

/**
 * A grouped bar chart drawn with plain Java2D and written as PNG (headless; no chart library).
 * Categories run along the x axis; each category holds one bar per series. Values may be
 * negative: bars grow from zero (or from the axis minimum when zero lies outside the range).
 * {@code NaN} values draw no bar.
 *
 * <pre>
 * BarChart chart = new BarChart("P@1 by query version", "P@1 (%)",
 *     List.of("clean", "mask"), List.of(new BarChart.Series("stage 1", new double[] {98.0, 81.4})), 0, 100, "%.1f");
 * chart.writePng(Path.of("docs/images/x.png"), 900, 420);
 * </pre>
 *
 * @param title       drawn above the plot
 * @param yLabel      the value axis label
 * @param categories  x-axis groups; a {@code '\n'} in a name breaks the label over two lines
 * @param series      one bar per category each, in legend order
 * @param yMin        lower end of the value axis
 * @param yMax        upper end of the value axis (&gt; yMin)
 * @param valueFormat format of the number printed above each bar ({@code null}: none)
 */
public record BarChart(String title, String yLabel, List<String> categories, List<Series> series, double yMin, double yMax,
                       String valueFormat) {

    /** One series: a name for the legend and one value per category. */
    public record Series(String name, double[] values) {}

    public BarChart {
        if (categories.isEmpty() || series.isEmpty()) {
            throw new IllegalArgumentException("a bar chart needs at least one category and one series");
        }
        if (!(yMax > yMin)) {
            throw new IllegalArgumentException("yMax must be above yMin, got [" + yMin + ", " + yMax + "]");
        }
        for (Series s : series) {
            if (s.values().length != categories.size()) {
                throw new IllegalArgumentException("series [" + s.name() + "] has " + s.values().length + " values for "
                    + categories.size() + " categories");
            }
        }
        categories = List.copyOf(categories);
        series = List.copyOf(series);
    }

    /** Renders the chart and writes it as a PNG, creating the parent folder if needed. */
    public void writePng(Path file, int width, int height) throws IOException {
        BufferedImage image = render(width, height);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer available to write " + file);
        }
    }

    /** Draws the chart on a new {@code width x height} RGB image. */
    public BufferedImage render(int width, int height) {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            draw(g, width, height);
        } finally {
            g.dispose();
        }
        return image;
    }

    private void draw(Graphics2D g, int width, int height) {
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 15);
        Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        Font smallFont = new Font(Font.SANS_SERIF, Font.PLAIN, 10);

        // Title, then the legend on one or more rows below it.
        g.setColor(Color.BLACK);
        g.setFont(titleFont);
        FontMetrics tm = g.getFontMetrics();
        g.drawString(title, (width - tm.stringWidth(title)) / 2, tm.getAscent() + 8);
        int top = tm.getHeight() + 14;
        g.setFont(labelFont);
        FontMetrics lm = g.getFontMetrics();
        int x = 60;
        int legendRow = top;
        for (int s = 0; s < series.size(); s++) {
            String name = series.get(s).name();
            int w = 14 + 6 + lm.stringWidth(name) + 18;
            if (x + w > width - 10 && x > 60) {
                x = 60;
                legendRow += lm.getHeight() + 4;
            }
            g.setColor(Palette.color(s));
            g.fillRect(x, legendRow + 2, 14, 12);
            g.setColor(Color.BLACK);
            g.drawString(name, x + 20, legendRow + lm.getAscent());
            x += w;
        }
        top = legendRow + lm.getHeight() + 12;

        int labelLines = 1;
        for (String c : categories) {
            labelLines = Math.max(labelLines, c.split("\n", -1).length);
        }
        int left = 64;
        int right = width - 16;
        int bottom = height - 12 - labelLines * lm.getHeight();
        int plotH = bottom - top;
        if (plotH < 40 || right - left < 40) {
            throw new IllegalArgumentException("a " + width + "x" + height + " image is too small for this chart");
        }

        // Value axis: grid lines at a readable step.
        double step = niceStep((yMax - yMin) / 6);
        g.setFont(smallFont);
        FontMetrics sm = g.getFontMetrics();
        for (double v = Math.ceil(yMin / step) * step; v <= yMax + step * 1e-9; v += step) {
            int y = yPixel(v, top, plotH);
            g.setColor(new Color(225, 225, 225));
            g.drawLine(left, y, right, y);
            g.setColor(Color.DARK_GRAY);
            String tick = formatTick(v, step);
            g.drawString(tick, left - 6 - sm.stringWidth(tick), y + sm.getAscent() / 2 - 1);
        }
        g.setColor(Color.BLACK);
        g.setFont(labelFont);
        Graphics2D rotated = (Graphics2D) g.create();
        try {
            rotated.rotate(-Math.PI / 2);
            rotated.drawString(yLabel, -(top + plotH / 2 + lm.stringWidth(yLabel) / 2), 16);
        } finally {
            rotated.dispose();
        }

        // Bars.
        double base = Math.max(yMin, Math.min(yMax, 0));
        int baseY = yPixel(base, top, plotH);
        double groupW = (double) (right - left) / categories.size();
        double barW = groupW * 0.8 / series.size();
        for (int c = 0; c < categories.size(); c++) {
            double gx = left + c * groupW + groupW * 0.1;
            for (int s = 0; s < series.size(); s++) {
                double v = series.get(s).values()[c];
                if (Double.isNaN(v)) {
                    continue;
                }
                double clamped = Math.max(yMin, Math.min(yMax, v));
                int y = yPixel(clamped, top, plotH);
                int bx = (int) Math.round(gx + s * barW);
                int bw = Math.max(1, (int) Math.round(gx + (s + 1) * barW) - bx - 1);
                g.setColor(Palette.color(s));
                g.fillRect(bx, Math.min(y, baseY), bw, Math.max(1, Math.abs(baseY - y)));
                if (valueFormat != null) {
                    g.setFont(smallFont);
                    g.setColor(Color.BLACK);
                    String text = String.format(Locale.ROOT, valueFormat, v);
                    int tx = bx + (bw - sm.stringWidth(text)) / 2;
                    int ty = v >= base ? y - 3 : y + sm.getAscent() + 2;
                    g.drawString(text, tx, ty);
                }
            }
            // Category label, centred under its group.
            g.setFont(labelFont);
            g.setColor(Color.BLACK);
            String[] lines = categories.get(c).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                int cx = (int) Math.round(left + (c + 0.5) * groupW - lm.stringWidth(lines[i]) / 2.0);
                g.drawString(lines[i], cx, bottom + 6 + lm.getAscent() + i * lm.getHeight());
            }
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1f));
        g.drawLine(left, baseY, right, baseY);
        g.drawLine(left, top, left, bottom);
    }

    private int yPixel(double v, int top, int plotH) {
        return (int) Math.round(top + (yMax - v) / (yMax - yMin) * plotH);
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= raw * (1 - 1e-9)) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String formatTick(double v, double step) {
        if (Math.abs(v) < step * 1e-9) {
            v = 0;
        }
        return step >= 1 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%." + (int) Math.ceil(-Math.log10(step)) + "f", v);
    }
}
