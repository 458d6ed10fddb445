package org.facesearch.bench.encoder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.facesearch.align.FaceAligner;
import org.facesearch.align.LandmarkDetector;
import org.facesearch.align.SimilarityTransform;
import org.facesearch.detect.Detection;
import org.facesearch.detect.FaceDetector;
import org.facesearch.image.ImageDecoder;
import org.facesearch.image.ImageLimits;
import org.facesearch.image.RgbImage;
import org.facesearch.model.Device;
import org.facesearch.model.ModelPack;
import org.facesearch.model.ModelSessions;

/**
 * Which of the 68 landmarks matches the alignment template's nose point. For each candidate
 * definition of the nose (the pack uses point 30, the nose tip) the faces are aligned with it and
 * measured the way {@link AlignmentCheck} measures alignment: the crop is padded, detected and
 * landmarked again, and the 5 re-detected points (nose by the same definition) are compared with
 * the template. Also prints where each single point 27..35 lands on the template after the pack's
 * own alignment, and the signed nose offset with its standard error, to tell a systematic offset
 * from noise. Eyes and mouth keep the pack's definitions throughout.
 *
 * <pre>benchmarks/run org.facesearch.bench.encoder.NoseDefinition [IMAGES=1000] [PAD=56]</pre>
 */
public final class NoseDefinition {
    private NoseDefinition() {}

    public static void main(String[] args) throws Exception {
        int limit = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int pad = args.length > 1 ? Integer.parseInt(args[1]) : 56;
        ModelPack pack = BenchSupport.defaultPack();
        Map<String, int[]> noses = new LinkedHashMap<>();
        noses.put("30 (pack)", new int[] {30});
        noses.put("33", new int[] {33});
        noses.put("31-35", new int[] {31, 32, 33, 34, 35});
        noses.put("30+33", new int[] {30, 33});
        noses.put("30+31-35", new int[] {30, 31, 32, 33, 34, 35});
        noses.put("30+32+33+34", new int[] {30, 32, 33, 34});
        noses.put("29", new int[] {29});

        List<Path> images = firstImagePerPerson(limit);
        ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
        try (ModelSessions sessions = ModelSessions.open(pack, Device.CPU)) {
            FaceDetector detector = new FaceDetector(sessions);
            LandmarkDetector landmarks = new LandmarkDetector(sessions);
            int[][] packGroups = sessions.descriptor().landmarks().fivePoints();
            float[] template = sessions.descriptor().feature().alignmentTemplate();
            int size = sessions.descriptor().feature().inputSize();
            FaceAligner aligner = new FaceAligner(template, size);

            Map<String, Stats> redetected = new LinkedHashMap<>();
            for (String k : noses.keySet()) {
                redetected.put(k, new Stats());
            }
            double[][] single = new double[68][2]; // mean template position of each point after the pack's alignment
            int n = 0;
            int lost = 0;
            for (Path p : images) {
                RgbImage img = decoder.decode(Files.readAllBytes(p));
                Detection box = largest(detector.detect(img), img);
                if (box == null) {
                    lost++;
                    continue;
                }
                float[] lm = landmarks.landmarks(img, box);
                SimilarityTransform packT = aligner.transform(five(lm, packGroups, null));
                for (int i = 0; i < 68; i++) {
                    double[] q = packT.apply(lm[2 * i] - 0.5, lm[2 * i + 1] - 0.5);
                    single[i][0] += q[0];
                    single[i][1] += q[1];
                }
                n++;
                for (Map.Entry<String, int[]> nose : noses.entrySet()) {
                    float[] five = five(lm, packGroups, nose.getValue());
                    RgbImage canvas = AlignmentCheck.padded(aligner.align(img, five), pad);
                    Detection again = largest(detector.detect(canvas), canvas);
                    if (again == null) {
                        redetected.get(nose.getKey()).lost++;
                        continue;
                    }
                    float[] five2 = five(landmarks.landmarks(canvas, again), packGroups, nose.getValue());
                    redetected.get(nose.getKey()).add(five2, template, pad);
                }
            }
            System.out.printf(Locale.ROOT, "%d LFW faces (first photo of each person, largest face), %d without a face; crop %dx%d padded by %d%n", n, lost, size,
                size, pad);
            System.out.printf(Locale.ROOT, "template nose (%.2f, %.2f); where points 27..35 land after the pack's alignment (nose = 30):%n", template[4],
                template[5]);
            for (int i = 27; i <= 35; i++) {
                System.out.printf(Locale.ROOT, "  point %d: (%.2f, %.2f), offset from the template nose (%+.2f, %+.2f)%n", i, single[i][0] / n, single[i][1] / n,
                    single[i][0] / n - template[4], single[i][1] / n - template[5]);
            }
            System.out.printf(Locale.ROOT, "%nre-detected on the aligned crop, nose by each definition (alignment uses the same definition):%n");
            for (Map.Entry<String, Stats> e : redetected.entrySet()) {
                e.getValue().print(e.getKey());
            }
        }
    }

    /** The 5 alignment points: the pack's groups, the nose group replaced by {@code nose} when given. */
    private static float[] five(float[] lm, int[][] groups, int[] nose) {
        float[] out = new float[10];
        for (int g = 0; g < 5; g++) {
            int[] idx = g == 2 && nose != null ? nose : groups[g];
            double x = 0, y = 0;
            for (int i : idx) {
                x += lm[2 * i];
                y += lm[2 * i + 1];
            }
            out[2 * g] = (float) (x / idx.length);
            out[2 * g + 1] = (float) (y / idx.length);
        }
        return out;
    }

    private static Detection largest(List<Detection> found, RgbImage img) {
        return found.stream().max(Comparator.comparingDouble((Detection d) -> d.clamped(img.width(), img.height()).area())).orElse(null);
    }

    private static final class Stats {
        int n;
        int lost;
        final double[] err = new double[5];
        final double[] dx = new double[5];
        final double[] dy = new double[5];
        final double[] dx2 = new double[5];
        final double[] dy2 = new double[5];

        void add(float[] five, float[] template, int pad) {
            n++;
            for (int i = 0; i < 5; i++) {
                double x = five[2 * i] - 0.5 - pad - template[2 * i]; // continuous -> pixel-centre coordinates
                double y = five[2 * i + 1] - 0.5 - pad - template[2 * i + 1];
                err[i] += Math.hypot(x, y);
                dx[i] += x;
                dy[i] += y;
                dx2[i] += x * x;
                dy2[i] += y * y;
            }
        }

        void print(String name) {
            double mean = 0;
            for (double e : err) {
                mean += e / n / 5;
            }
            double mx = dx[2] / n;
            double my = dy[2] / n;
            double sx = Math.sqrt(dx2[2] / n - mx * mx);
            double sy = Math.sqrt(dy2[2] / n - my * my);
            System.out.printf(Locale.ROOT,
                "  nose %-12s mean 5-point error %.2f px (eyes %.2f %.2f, nose %.2f, mouth %.2f %.2f); nose offset (%+.2f, %+.2f) sd (%.2f, %.2f), se (%.2f, %.2f); %d faces, %d lost%n",
                name, mean, err[0] / n, err[1] / n, err[2] / n, err[3] / n, err[4] / n, mx, my, sx, sy, sx / Math.sqrt(n), sy / Math.sqrt(n), n, lost);
        }
    }

    static List<Path> firstImagePerPerson(int limit) throws java.io.IOException {
        List<Path> images = new ArrayList<>();
        try (Stream<Path> people = Files.list(BenchSupport.lfw())) {
            for (Path person : people.filter(Files::isDirectory).sorted().toList()) {
                if (images.size() >= limit) {
                    break;
                }
                try (Stream<Path> files = Files.list(person)) {
                    files.filter(p -> p.toString().endsWith(".jpg")).sorted().findFirst().ifPresent(images::add);
                }
            }
        }
        return images;
    }
}
