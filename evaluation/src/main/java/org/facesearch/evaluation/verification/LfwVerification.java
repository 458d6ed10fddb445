package org.facesearch.evaluation.verification;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.util.VectorUtil;
import org.facesearch.encoder.EncodedFace;
import org.facesearch.encoder.EncoderOptions;
import org.facesearch.encoder.FaceEncoder;
import org.facesearch.evaluation.Args;
import org.facesearch.evaluation.FaceChoice;
import org.facesearch.evaluation.Inputs;
import org.facesearch.evaluation.Lfw;
import org.facesearch.evaluation.PhotoChunks;
import org.facesearch.image.RgbImage;

/**
 * LFW verification with the full pipeline (decode, detect, landmarks, align, embed) on the standard
 * pairs.txt: 10-fold accuracy (threshold from the other 9 folds), AUC and TAR at FAR 1e-3, with and
 * without flip averaging, and the number of images in which no face was found.
 *
 * <p>Which face of an image counts: LFW images are centred on the named person, so the LFW protocol
 * face is the detected face whose box centre is nearest the image centre (LFW photos often show
 * other, sometimes larger, people too). The product's own choice, the largest box ({@code faces:
 * largest}), is reported as well.
 *
 * <pre>
 * evaluation/run lfw-verification              # all 10 folds of pairs.txt (6,000 pairs, 7,701 images)
 *   --folds N     only the first N folds (2..10; thresholds from the other N-1), for a quick check
 *   --threads T   inference threads (default: all cores)
 * </pre>
 */
public final class LfwVerification {
  private LfwVerification() {}

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv, Set.of("folds", "threads"));
    Lfw.Pairs pairs = firstFolds(Lfw.open().pairs(), args.integer("folds", 10));
    int threads = args.positive("threads", Inputs.cores());
    List<Path> images = pairs.images();
    System.out.printf(
        Locale.ROOT,
        "LFW pairs: %d (%d folds x %d + %d), %d distinct images%n",
        pairs.pairs().size(),
        pairs.folds(),
        pairs.perFold(),
        pairs.perFold(),
        images.size());

    Map<Path, float[]> plain = new HashMap<>();
    Map<Path, float[]> flipped = new HashMap<>();
    Map<Path, float[]> largest = new HashMap<>();
    int[] multiFace = {0};
    List<Path> noFace = new ArrayList<>();
    long start = System.nanoTime();
    try (FaceEncoder encoder =
        FaceEncoder.open(Inputs.defaultPack(), EncoderOptions.defaults().withThreads(threads))) {
      PhotoChunks.encode(
          encoder,
          images,
          (from, part, bytes, results) -> {
            List<RgbImage> mirrors = new ArrayList<>();
            List<Path> mirrored = new ArrayList<>();
            for (int i = 0; i < part.size(); i++) {
              List<EncodedFace> faces = results.get(i).facesOrThrow();
              if (faces.isEmpty()) {
                noFace.add(part.get(i));
                continue;
              }
              if (faces.size() > 1) {
                multiFace[0]++;
              }
              EncodedFace face = FaceChoice.nearestCentre(faces, bytes.get(i));
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
              flipped.put(mirrored.get(i), VectorUtil.l2normalize(sum));
            }
            if ((from / PhotoChunks.CHUNK) % 20 == 0) {
              System.out.printf(
                  Locale.ROOT, "  encoded %d / %d images%n", from + part.size(), images.size());
            }
          });
      System.out.printf(
          Locale.ROOT,
          "encoded %d images in %.1f s on %d threads (batch %d); stats %s%n",
          images.size(),
          (System.nanoTime() - start) / 1e9,
          encoder.options().threads(),
          encoder.effectiveBatchSize(),
          encoder.stats());
    }
    System.out.printf(
        Locale.ROOT,
        "images with no face found: %d%s%n",
        noFace.size(),
        noFace.isEmpty() ? "" : " " + noFace);
    System.out.printf(Locale.ROOT, "images with more than one face: %d%n", multiFace[0]);
    report(
        "full pipeline (detect, 5-point similarity alignment, embed), LFW face = nearest the image centre",
        pairs,
        plain);
    report("full pipeline + flip averaging, LFW face = nearest the image centre", pairs, flipped);
    report("full pipeline, face = largest box (the processor's faces: largest)", pairs, largest);
  }

  /** The pairs of the first {@code folds} folds. */
  static Lfw.Pairs firstFolds(Lfw.Pairs all, int folds) {
    if (folds < 2 || folds > all.folds()) {
      throw new IllegalArgumentException(
          "option [--folds] must be between 2 and " + all.folds() + ", got [" + folds + "]");
    }
    return new Lfw.Pairs(
        folds, all.perFold(), all.pairs().stream().filter(p -> p.fold() < folds).toList());
  }

  private static void report(String name, Lfw.Pairs pairs, Map<Path, float[]> embeddings) {
    int n = pairs.pairs().size();
    double[] scores = new double[n];
    boolean[] same = new boolean[n];
    int[] fold = new int[n];
    int missing = 0;
    for (int i = 0; i < n; i++) {
      Lfw.Pair p = pairs.pairs().get(i);
      float[] a = embeddings.get(p.a());
      float[] b = embeddings.get(p.b());
      // A pair with an image where no face was found cannot be verified: it counts as "different".
      scores[i] = a == null || b == null ? -2 : VectorUtil.dotProduct(a, b);
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
    System.out.printf(
        Locale.ROOT,
        "  %d-fold accuracy: %.2f%% +- %.2f (mean threshold %.3f)%n",
        pairs.folds(),
        100 * f.meanAccuracy(),
        100 * f.stdAccuracy(),
        f.meanThreshold());
    StringBuilder folds = new StringBuilder();
    for (double a : f.accuracies()) {
      folds.append(String.format(Locale.ROOT, " %.2f", 100 * a));
    }
    System.out.println("  per fold:" + folds);
    System.out.printf(Locale.ROOT, "  AUC: %.5f%n", VerificationMetrics.auc(scores, same));
    System.out.printf(
        Locale.ROOT,
        "  TAR@FAR=1e-3: %.2f%% (threshold %.3f, %d impostor pairs above)%n",
        100 * tar3[0],
        tar3[1],
        (int) tar3[2]);
    System.out.printf(
        Locale.ROOT,
        "  TAR@FAR=1e-2: %.2f%% (threshold %.3f, %d impostor pairs above)%n",
        100 * tar2[0],
        tar2[1],
        (int) tar2[2]);
    System.out.printf(Locale.ROOT, "  pairs without a face: %d%n", missing);
  }
}
