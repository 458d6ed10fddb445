package org.facesearch.bench.encoder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.facesearch.encoder.EncodeMode;
import org.facesearch.encoder.EncodeResult;
import org.facesearch.encoder.EncodedFace;
import org.facesearch.encoder.EncoderOptions;
import org.facesearch.encoder.FaceEncoder;
import org.facesearch.image.RgbImage;

/**
 * LFW verification with the full pipeline (decode, detect, landmarks, align, embed) on the standard
 * pairs.txt: 10-fold accuracy (threshold from the other 9 folds), AUC and TAR at FAR 1e-3, with and
 * without flip averaging, and the number of images in which no face was found.
 *
 * <p>Which face of an image counts: LFW images are centred on the named person, so the LFW
 * protocol face is the detected face whose box centre is nearest the image centre (LFW photos
 * often show other, sometimes larger, people too). The product's own choice, the largest box
 * ({@code faces: largest}), is reported as well.
 *
 * <pre>benchmarks/run org.facesearch.bench.encoder.LfwVerification</pre>
 */
public final class LfwVerification {
    private LfwVerification() {}

    public static void main(String[] args) throws Exception {
        Path lfw = BenchSupport.lfw();
        LfwPairs pairs = LfwPairs.read(lfw);
        List<Path> images = pairs.images();
        System.out.printf(Locale.ROOT, "LFW pairs: %d (%d folds x %d + %d), %d distinct images%n", pairs.pairs().size(), pairs.folds(),
            pairs.perFold(), pairs.perFold(), images.size());

        Map<Path, float[]> plain = new HashMap<>();
        Map<Path, float[]> flipped = new HashMap<>();
        Map<Path, float[]> largest = new HashMap<>();
        int multiFace = 0;
        List<Path> noFace = new ArrayList<>();
        long start = System.nanoTime();
        try (FaceEncoder encoder = FaceEncoder.open(BenchSupport.defaultPack(), EncoderOptions.defaults().withThreads(BenchSupport.cores()))) {
            int chunk = 64;
            for (int from = 0; from < images.size(); from += chunk) {
                List<Path> part = images.subList(from, Math.min(images.size(), from + chunk));
                List<byte[]> bytes = new ArrayList<>();
                for (Path p : part) {
                    bytes.add(Files.readAllBytes(p));
                }
                List<EncodeResult> results = encoder.encodeAll(bytes, EncodeMode.DETECT, Integer.MAX_VALUE);
                List<RgbImage> mirrors = new ArrayList<>();
                List<Path> mirrored = new ArrayList<>();
                for (int i = 0; i < part.size(); i++) {
                    List<EncodedFace> faces = results.get(i).facesOrThrow();
                    if (faces.isEmpty()) {
                        noFace.add(part.get(i));
                        continue;
                    }
                    if (faces.size() > 1) {
                        multiFace++;
                    }
                    EncodedFace face = nearestCentre(faces, bytes.get(i));
                    largest.put(part.get(i), faces.get(0).embedding());
                    plain.put(part.get(i), face.embedding());
                    mirrors.add(face.alignedFace().mirrored());
                    mirrored.add(part.get(i));
                }
                List<EncodedFace> flips = encoder.embedAligned(mirrors);
                for (int i = 0; i < mirrored.size(); i++) {
                    float[] a = plain.get(mirrored.get(i));
                    float[] b = flips.get(i).embedding();
                    float[] sum = new float[a.length];
                    for (int j = 0; j < a.length; j++) {
                        sum[j] = a[j] + b[j];
                    }
                    flipped.put(mirrored.get(i), BenchSupport.normalised(sum));
                }
                if ((from / chunk) % 20 == 0) {
                    System.out.printf(Locale.ROOT, "  encoded %d / %d images%n", Math.min(images.size(), from + chunk), images.size());
                }
            }
            System.out.printf(Locale.ROOT, "encoded %d images in %.1f s on %d threads (batch %d); stats %s%n", images.size(),
                (System.nanoTime() - start) / 1e9, encoder.options().threads(), encoder.effectiveBatchSize(), encoder.stats());
        }
        System.out.printf(Locale.ROOT, "images with no face found: %d%s%n", noFace.size(), noFace.isEmpty() ? "" : " " + noFace);
        System.out.printf(Locale.ROOT, "images with more than one face: %d%n", multiFace);
        report("full pipeline (detect, 5-point similarity alignment, embed), LFW face = nearest the image centre", pairs, plain);
        report("full pipeline + flip averaging, LFW face = nearest the image centre", pairs, flipped);
        report("full pipeline, face = largest box (the processor's faces: largest)", pairs, largest);
    }

    /** The face whose box centre is nearest the centre of the (upright) image. */
    public static EncodedFace nearestCentre(List<EncodedFace> faces, byte[] image) throws java.io.IOException {
        java.awt.Dimension size = imageSize(image);
        EncodedFace best = null;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (EncodedFace f : faces) {
            float[] b = f.box();
            double d = Math.hypot(b[0] + b[2] / 2 - size.width / 2.0, b[1] + b[3] / 2 - size.height / 2.0);
            if (d < bestDistance) {
                bestDistance = d;
                best = f;
            }
        }
        return best;
    }

    private static java.awt.Dimension imageSize(byte[] image) throws java.io.IOException {
        try (var in = javax.imageio.ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(image))) {
            var readers = javax.imageio.ImageIO.getImageReaders(in);
            var reader = readers.next();
            try {
                reader.setInput(in);
                return new java.awt.Dimension(reader.getWidth(0), reader.getHeight(0));
            } finally {
                reader.dispose();
            }
        }
    }

    private static void report(String name, LfwPairs pairs, Map<Path, float[]> embeddings) {
        int n = pairs.pairs().size();
        double[] scores = new double[n];
        boolean[] same = new boolean[n];
        int[] fold = new int[n];
        int missing = 0;
        for (int i = 0; i < n; i++) {
            LfwPairs.Pair p = pairs.pairs().get(i);
            float[] a = embeddings.get(p.a());
            float[] b = embeddings.get(p.b());
            // A pair with an image where no face was found cannot be verified: it counts as "different".
            scores[i] = a == null || b == null ? -2 : BenchSupport.dot(a, b);
            if (a == null || b == null) {
                missing++;
            }
            same[i] = p.same();
            fold[i] = p.fold();
        }
        VerificationMetrics.Folds f = VerificationMetrics.tenFold(scores, same, fold, pairs.folds());
        double[] tar3 = VerificationMetrics.tarAtFar(scores, same, 1e-3);
        double[] tar2 = VerificationMetrics.tarAtFar(scores, same, 1e-2);
        System.out.printf(Locale.ROOT, "%n== %s%n", name);
        System.out.printf(Locale.ROOT, "  10-fold accuracy: %.2f%% +- %.2f (mean threshold %.3f)%n", 100 * f.meanAccuracy(), 100 * f.stdAccuracy(), f.meanThreshold());
        StringBuilder folds = new StringBuilder();
        for (double a : f.accuracies()) {
            folds.append(String.format(Locale.ROOT, " %.2f", 100 * a));
        }
        System.out.println("  per fold:" + folds);
        System.out.printf(Locale.ROOT, "  AUC: %.5f%n", VerificationMetrics.auc(scores, same));
        System.out.printf(Locale.ROOT, "  TAR@FAR=1e-3: %.2f%% (threshold %.3f, %d impostor pairs above)%n", 100 * tar3[0], tar3[1], (int) tar3[2]);
        System.out.printf(Locale.ROOT, "  TAR@FAR=1e-2: %.2f%% (threshold %.3f, %d impostor pairs above)%n", 100 * tar2[0], tar2[1], (int) tar2[2]);
        System.out.printf(Locale.ROOT, "  pairs without a face: %d%n", missing);
    }
}
