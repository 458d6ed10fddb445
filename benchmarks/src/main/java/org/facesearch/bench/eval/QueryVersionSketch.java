package org.facesearch.bench.eval;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.facesearch.image.RgbImage;

/**
 * Draws what each aligned-crop query version does, on a synthetic 112x112 crop (no LFW pixels):
 * a grey square with the 7x7 patch grid and the alignment template's five points, passed through
 * the same {@link QueryVersion#apply} the identification benchmark uses.
 *
 * <pre>benchmarks/run org.facesearch.bench.eval.QueryVersionSketch [docs/images/eval-query-versions.png]</pre>
 */
public final class QueryVersionSketch {
    private static final int SCALE = 2;

    private QueryVersionSketch() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/images/eval-query-versions.png");
        var feature = EvalSupport.defaultPack().descriptor().feature();
        write(out, feature.alignmentTemplate(), feature.inputSize());
        System.out.println("wrote " + out);
    }

    static void write(Path out, float[] template, int size) throws Exception {
        RgbImage base = syntheticCrop(template, size);
        List<QueryVersion> versions = new ArrayList<>();
        for (QueryVersion v : QueryVersion.values()) {
            if (v.onAlignedCrop()) {
                versions.add(v);
            }
        }
        int panel = size * SCALE;
        int caption = 34;
        BufferedImage sheet = new BufferedImage(versions.size() * (panel + 10) + 10, panel + caption + 10, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            for (int i = 0; i < versions.size(); i++) {
                QueryVersion v = versions.get(i);
                // A fixed seed: one example of the seeded crop position and rotation sign.
                RgbImage changed = v.apply(base, template, v.random(IdentificationBenchmark.DEFAULT_SEED, 0));
                int x = 10 + i * (panel + 10);
                g.drawImage(changed.toBufferedImage(), x, 10, panel, panel, null);
                g.setColor(Color.BLACK);
                String[] lines = v.chartLabel().split("\n");
                for (int l = 0; l < lines.length; l++) {
                    g.drawString(lines[l], x, 10 + panel + 14 + l * 14);
                }
            }
        } finally {
            g.dispose();
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(sheet, "png", out.toFile())) {
            throw new IllegalStateException("no PNG writer for " + out);
        }
    }

    /** Light grey, the 7x7 cell borders in mid grey, the five template points as 3x3 dark dots. */
    static RgbImage syntheticCrop(float[] template, int size) {
        byte[] px = new byte[size * size * 3];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int v = (x % 16 == 0 || y % 16 == 0) ? 150 : 215;
                int o = (y * size + x) * 3;
                px[o] = (byte) v;
                px[o + 1] = (byte) v;
                px[o + 2] = (byte) v;
            }
        }
        for (int p = 0; p < 5; p++) {
            int cx = Math.round(template[2 * p]);
            int cy = Math.round(template[2 * p + 1]);
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int o = ((cy + dy) * size + cx + dx) * 3;
                    px[o] = (byte) 200;
                    px[o + 1] = 0;
                    px[o + 2] = 0;
                }
            }
        }
        return new RgbImage(size, size, px);
    }
}
