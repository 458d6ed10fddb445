package org.facesearch.evaluation.verification;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.facesearch.align.FaceAligner;
import org.facesearch.align.SimilarityTransform;
import org.facesearch.encoder.EncodeMode;
import org.facesearch.encoder.EncodedFace;
import org.facesearch.encoder.EncoderOptions;
import org.facesearch.encoder.FaceEncoder;
import org.facesearch.evaluation.Args;
import org.facesearch.evaluation.Inputs;
import org.facesearch.evaluation.Lfw;
import org.facesearch.image.RgbImage;

/**
 * How well alignment lands faces on the template: each LFW face is aligned (112 x 112), the crop is
 * placed in the middle of a black canvas (the detector is trained on faces with surroundings),
 * detected and landmarked again, and the 5 re-detected points are compared with the template.
 * Prints the mean point error (pixels of the 112 x 112 crop), per point, the mean signed offsets
 * and percentiles of the per-face mean error.
 *
 * <p>A similarity transform cannot undo head pose (a turned head moves the nose tip relative to
 * eyes and mouth), so part of that error is the alignment's own least-squares residual. The second
 * figure separates it out: the re-detected points against the first pass's points carried through
 * the same transform, which measures landmark repeatability and the warp itself.
 *
 * <pre>evaluation/run alignment-check [--faces 1000] [--pad 56]</pre>
 */
public final class AlignmentCheck {
  private AlignmentCheck() {}

  private static final String[] POINTS = {
    "left eye", "right eye", "nose", "left mouth", "right mouth"
  };

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv, Set.of("faces", "pad"));
    int limit = args.positive("faces", 1000);
    int pad = args.integer("pad", 56);
    Lfw lfw = Lfw.open();
    List<Path> images = new ArrayList<>();
    // The first image of each person, in name order: a deterministic spread of people.
    for (int label = 0; label < Math.min(limit, lfw.people()); label++) {
      images.add(lfw.image(label, 0));
    }
    try (FaceEncoder encoder =
        FaceEncoder.open(Inputs.defaultPack(), EncoderOptions.defaults().withMinFaceSize(0))) {
      float[] template = encoder.pack().descriptor().feature().alignmentTemplate();
      int size = encoder.pack().descriptor().feature().inputSize();
      double[] perPoint = new double[5];
      double[] signed = new double[10];
      List<Double> perFace = new ArrayList<>();
      List<Double> perFaceMapped = new ArrayList<>();
      double residual = 0;
      FaceAligner aligner = new FaceAligner(template, size);
      int lost = 0;
      for (Path p : images) {
        List<EncodedFace> faces = encoder.encode(Files.readAllBytes(p), EncodeMode.DETECT, 1);
        if (faces.isEmpty()) {
          lost++;
          continue;
        }
        RgbImage canvas = padded(faces.get(0).alignedFace(), pad);
        List<EncodedFace> again = encoder.encode(canvas, EncodeMode.DETECT, 1);
        if (again.isEmpty()) {
          lost++;
          continue;
        }
        float[] lm = again.get(0).landmarks();
        float[] first = faces.get(0).landmarks();
        SimilarityTransform t = aligner.transform(first);
        double mapped = 0;
        for (int i = 0; i < 5; i++) {
          double[] q = t.apply(first[2 * i] - 0.5, first[2 * i + 1] - 0.5);
          residual += Math.hypot(q[0] - template[2 * i], q[1] - template[2 * i + 1]) / 5;
          mapped += Math.hypot(lm[2 * i] - 0.5 - pad - q[0], lm[2 * i + 1] - 0.5 - pad - q[1]) / 5;
        }
        perFaceMapped.add(mapped);
        double sum = 0;
        for (int i = 0; i < 5; i++) {
          // Landmarks are continuous coordinates; the template uses pixel centres.
          double dx = lm[2 * i] - 0.5 - pad - template[2 * i];
          double dy = lm[2 * i + 1] - 0.5 - pad - template[2 * i + 1];
          double e = Math.hypot(dx, dy);
          perPoint[i] += e;
          signed[2 * i] += dx;
          signed[2 * i + 1] += dy;
          sum += e;
        }
        perFace.add(sum / 5);
      }
      int n = perFace.size();
      double[] sorted = perFace.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      System.out.printf(
          Locale.ROOT,
          "faces: %d aligned and re-detected, %d lost; crop %dx%d on a %dx%d black canvas%n",
          n,
          lost,
          size,
          size,
          size + 2 * pad,
          size + 2 * pad);
      System.out.printf(
          Locale.ROOT,
          "mean landmark error vs template: %.2f px (median face %.2f, 90th percentile %.2f, max %.2f)%n",
          Arrays.stream(sorted).average().orElse(Double.NaN),
          sorted[n / 2],
          sorted[(int) (0.9 * (n - 1))],
          sorted[n - 1]);
      double[] mappedSorted =
          perFaceMapped.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      System.out.printf(
          Locale.ROOT,
          "  of which the similarity fit's own residual (first-pass points vs template): %.2f px%n",
          residual / n);
      System.out.printf(
          Locale.ROOT,
          "re-detected vs first-pass points carried through the transform: %.2f px (median face %.2f, 90th percentile %.2f)%n",
          Arrays.stream(mappedSorted).average().orElse(Double.NaN),
          mappedSorted[n / 2],
          mappedSorted[(int) (0.9 * (n - 1))]);
      for (int i = 0; i < 5; i++) {
        System.out.printf(
            Locale.ROOT,
            "  %-11s mean error %.2f px, mean offset (%+.2f, %+.2f)%n",
            POINTS[i],
            perPoint[i] / n,
            signed[2 * i] / n,
            signed[2 * i + 1] / n);
      }
    }
  }

  /**
   * The face on a black border {@code pad} pixels wide: the detector needs context around a crop.
   */
  static RgbImage padded(RgbImage face, int pad) {
    int w = face.width() + 2 * pad;
    int h = face.height() + 2 * pad;
    byte[] canvas = new byte[w * h * 3];
    for (int y = 0; y < face.height(); y++) {
      System.arraycopy(
          face.pixels(), y * face.width() * 3, canvas, ((y + pad) * w + pad) * 3, face.width() * 3);
    }
    return new RgbImage(w, h, canvas);
  }
}
