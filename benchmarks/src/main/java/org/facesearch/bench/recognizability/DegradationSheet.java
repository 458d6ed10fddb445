package org.facesearch.bench.recognizability;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.facesearch.bench.encoder.BenchSupport;
import org.facesearch.bench.encoder.LfwPairs;
import org.facesearch.encoder.EncoderOptions;
import org.facesearch.encoder.FaceEncoder;
import org.facesearch.image.RgbImage;
import org.facesearch.recognizability.Degradations;

/**
 * A contact sheet of the degradations, to look at what the recipes do: one row per face (the first
 * photo of the first N calibration people): clean, 24x24, 16x16, blurred, lower and upper half
 * occluded, four {@link Degradations#random} draws and two {@link Degradations#heavy} draws. The
 * sheet shows LFW faces: write it outside the repository.
 *
 * <pre>benchmarks/run org.facesearch.bench.recognizability.DegradationSheet /tmp/sheet.png [faces]</pre>
 */
public final class DegradationSheet {
    private DegradationSheet() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Path out = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        Path lfw = BenchSupport.lfw();
        List<Path> images = new ArrayList<>();
        for (String person : LfwFaces.people(LfwPairs.read(lfw), true)) {
            if (images.size() < n) {
                images.add(BenchSupport.lfwImage(lfw, person, 1));
            }
        }
        try (FaceEncoder encoder = FaceEncoder.open(BenchSupport.defaultPack(), EncoderOptions.defaults())) {
            var faces = new ArrayList<>(LfwFaces.encode(encoder, images).values());
            int cols = 12;
            BufferedImage sheet = new BufferedImage(cols * 112, faces.size() * 112, BufferedImage.TYPE_3BYTE_BGR);
            Graphics2D g = sheet.createGraphics();
            for (int row = 0; row < faces.size(); row++) {
                RgbImage f = faces.get(row).aligned();
                List<RgbImage> cells = new ArrayList<>(List.of(f, Degradations.downUp(f, 24), Degradations.downUp(f, 16),
                    Degradations.gaussianBlur(f, Evidence.BLUR_SIGMA), Degradations.halfOccluded(f, false), Degradations.halfOccluded(f, true)));
                for (int k = 0; k < 4; k++) {
                    cells.add(Degradations.random(f, LfwFaces.random(99, row * 10 + k)).image());
                }
                for (int k = 0; k < 2; k++) {
                    cells.add(Degradations.heavy(f, LfwFaces.random(98, row * 10 + k)));
                }
                for (int c = 0; c < cells.size(); c++) {
                    g.drawImage(cells.get(c).toBufferedImage(), c * 112, row * 112, null);
                }
            }
            g.dispose();
            if (out.getParent() != null) {
                Files.createDirectories(out.getParent());
            }
            ImageIO.write(sheet, "png", out.toFile());
            System.out.printf(Locale.ROOT, "wrote %s (%d faces)%n", out, faces.size());
        }
    }
}
