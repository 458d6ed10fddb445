package org.facesearch.bench.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

/**
 * A plain line chart written as PNG with Java2D (headless): several named series of (x, y) points,
 * axes with round-numbered ticks, a legend and optional vertical markers. Enough for the
 * benchmark figures in docs/ (error-versus-reject curves, score distributions); nothing more.
 *
 * <pre>
 * new LineChart("title", "x label", "y label")
 *     .series("clean", xs, ys)
 *     .marker(0.55, "threshold")
 *     .write(Path.of("docs/images/x.png"));
 * </pre>
 */
public final class LineChart {
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};

    private record Series(String name, double[] x, double[] y, boolean dashed) {}

    private record Marker(double x, String label) {}

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();
    private Double xMin;
    private Double xMax;
    private Double yMin;
    private Double yMax;
    private boolean percentX;
    private boolean percentY;
    private boolean legendLeft;

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
        if (x.length != y.length || x.length == 0) {
            throw new IllegalArgumentException("series [" + name + "] needs as many x as y values, at least one: " + x.length + " vs " + y.length);
        }
        series.add(new Series(name, x.clone(), y.clone(), dashed));
        return this;
    }

    /** A labelled vertical line at {@code x}. */
    public LineChart marker(double x, String label) {
        markers.add(new Marker(x, label));
        return this;
    }

    /** Fixes the x range (otherwise the data's). */
    public LineChart xRange(double min, double max) {
        xMin = min;
        xMax = max;
        return this;
    }

    /** Fixes the y range (otherwise 0 or the data's minimum, to the data's maximum). */
    public LineChart yRange(double min, double max) {
        yMin = min;
        yMax = max;
        return this;
    }

    /** Tick labels as percentages (values are fractions). */
    public LineChart percent(boolean x, boolean y) {
        percentX = x;
        percentY = y;
        return this;
    }

    /** Puts the legend in the top left corner of the plot instead of the top right. */
    public LineChart legendLeft() {
        legendLeft = true;
        return this;
    }

    /** Renders at 960 x 600 pixels and writes a PNG, creating the folder if needed. */
    public void write(Path png) throws IOException {
        write(png, 960, 600);
    }

    /** Renders at {@code width x height} pixels and writes a PNG, creating the folder if needed. */
    public void write(Path png, int width, int height) throws IOException {
        if (series.isEmpty()) {
            throw new IllegalStateException("a chart needs at least one series");
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            draw(g, width, height);
        } finally {
            g.dispose();
        }
        if (png.getParent() != null) {
            Files.createDirectories(png.getParent());
        }
        if (!ImageIO.write(image, "png", png.toFile())) {
            throw new IOException("no PNG writer available");
        }
    }

    private void draw(Graphics2D g, int width, int height) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);

        double x0 = xMin != null ? xMin : min(true);
        double x1 = xMax != null ? xMax : max(true);
        double y0 = yMin != null ? yMin : Math.min(0, min(false));
        double y1 = yMax != null ? yMax : max(false);
        if (x1 <= x0) {
            x1 = x0 + 1;
        }
        if (y1 <= y0) {
            y1 = y0 + 1;
        }
        if (yMax == null) {
            y1 += 0.05 * (y1 - y0); // headroom above the highest point
        }
        double[] xt = ticks(x0, x1, 8);
        double[] yt = ticks(y0, y1, 6);

        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 20);
        Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 16);
        Font tickFont = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
        int left = 90;
        int right = 30;
        int top = 50;
        int bottom = 70;
        int pw = width - left - right;
        int ph = height - top - bottom;
        final double fx0 = x0;
        final double fx1 = x1;
        final double fy0 = y0;
        final double fy1 = y1;
        java.util.function.DoubleUnaryOperator px = v -> left + (v - fx0) / (fx1 - fx0) * pw;
        java.util.function.DoubleUnaryOperator py = v -> top + ph - (v - fy0) / (fy1 - fy0) * ph;

        // Grid and ticks.
        g.setFont(tickFont);
        FontMetrics tm = g.getFontMetrics();
        for (double t : xt) {
            if (t < x0 - 1e-12 || t > x1 + 1e-12) {
                continue;
            }
            int x = (int) Math.round(px.applyAsDouble(t));
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(x, top, x, top + ph);
            g.setColor(Color.DARK_GRAY);
            String s = format(t, percentX, xt);
            g.drawString(s, x - tm.stringWidth(s) / 2, top + ph + tm.getAscent() + 6);
        }
        for (double t : yt) {
            if (t < y0 - 1e-12 || t > y1 + 1e-12) {
                continue;
            }
            int y = (int) Math.round(py.applyAsDouble(t));
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(left, y, left + pw, y);
            g.setColor(Color.DARK_GRAY);
            String s = format(t, percentY, yt);
            g.drawString(s, left - tm.stringWidth(s) - 8, y + tm.getAscent() / 2 - 2);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, pw, ph);

        // Title and axis labels.
        g.setFont(titleFont);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(title, (width - fm.stringWidth(title)) / 2, 32);
        g.setFont(labelFont);
        fm = g.getFontMetrics();
        g.drawString(xLabel, left + (pw - fm.stringWidth(xLabel)) / 2, height - 20);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        g.drawString(yLabel, -(top + (ph + fm.stringWidth(yLabel)) / 2), 24);
        g.setTransform(saved);

        // Markers.
        g.setFont(tickFont);
        for (Marker m : markers) {
            int x = (int) Math.round(px.applyAsDouble(m.x()));
            g.setColor(new Color(0x555555));
            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {4, 4}, 0));
            g.drawLine(x, top, x, top + ph);
            g.drawString(m.label(), x + 5, top + 16);
        }

        // Series.
        g.setClip(left, top, pw + 1, ph + 1);
        for (int s = 0; s < series.size(); s++) {
            Series ser = series.get(s);
            g.setColor(PALETTE[s % PALETTE.length]);
            g.setStroke(ser.dashed()
                ? new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10, new float[] {9, 6}, 0)
                : new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            Path2D.Double path = new Path2D.Double();
            for (int i = 0; i < ser.x().length; i++) {
                double x = px.applyAsDouble(ser.x()[i]);
                double y = py.applyAsDouble(ser.y()[i]);
                if (i == 0) {
                    path.moveTo(x, y);
                } else {
                    path.lineTo(x, y);
                }
            }
            g.draw(path);
            if (ser.x().length == 1) {
                int x = (int) Math.round(px.applyAsDouble(ser.x()[0]));
                int y = (int) Math.round(py.applyAsDouble(ser.y()[0]));
                g.fillOval(x - 4, y - 4, 8, 8);
            }
        }
        g.setClip(null);

        // Legend, top right (or left) inside the plot.
        g.setFont(tickFont);
        int lineH = tm.getHeight() + 4;
        int legendW = 0;
        for (Series ser : series) {
            legendW = Math.max(legendW, tm.stringWidth(ser.name()));
        }
        legendW += 50;
        int lx = legendLeft ? left + 10 : left + pw - legendW - 10;
        int ly = top + 10;
        g.setColor(new Color(255, 255, 255, 230));
        g.fillRect(lx, ly, legendW, lineH * series.size() + 8);
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(lx, ly, legendW, lineH * series.size() + 8);
        for (int s = 0; s < series.size(); s++) {
            int y = ly + 4 + lineH * s + lineH / 2;
            g.setColor(PALETTE[s % PALETTE.length]);
            g.setStroke(series.get(s).dashed()
                ? new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10, new float[] {6, 4}, 0)
                : new BasicStroke(2.5f));
            g.drawLine(lx + 8, y, lx + 36, y);
            g.setColor(Color.BLACK);
            g.drawString(series.get(s).name(), lx + 42, y + tm.getAscent() / 2 - 2);
        }
    }

    private double min(boolean x) {
        double m = Double.POSITIVE_INFINITY;
        for (Series s : series) {
            for (double v : x ? s.x() : s.y()) {
                m = Math.min(m, v);
            }
        }
        return m;
    }

    private double max(boolean x) {
        double m = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : x ? s.x() : s.y()) {
                m = Math.max(m, v);
            }
        }
        return m;
    }

    /** Round tick values (1, 2, 2.5 or 5 times a power of ten) covering [lo, hi] with about {@code n} steps. */
    static double[] ticks(double lo, double hi, int n) {
        double raw = (hi - lo) / n;
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = p;
        for (double f : new double[] {1, 2, 2.5, 5, 10}) {
            if (f * p >= raw) {
                step = f * p;
                break;
            }
        }
        double start = Math.ceil(lo / step - 1e-9) * step;
        List<Double> out = new ArrayList<>();
        for (double t = start; t <= hi + step * 1e-9; t += step) {
            out.add(Math.abs(t) < step * 1e-9 ? 0 : t);
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static String format(double v, boolean percent, double[] ticks) {
        double step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
        if (percent) {
            v *= 100;
            step *= 100;
        }
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        if (Math.abs(step * Math.pow(10, decimals) - Math.round(step * Math.pow(10, decimals))) > 1e-6) {
            decimals++;
        }
        String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
        return percent ? s + "%" : s;
    }
}
