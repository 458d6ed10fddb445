package org.facesearch.evaluation.verification;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.lucene.util.VectorUtil;
import org.facesearch.encoder.EncoderOptions;
import org.facesearch.encoder.FaceEncoder;
import org.facesearch.evaluation.Args;
import org.facesearch.evaluation.Inputs;
import org.facesearch.evaluation.Lfw;
import org.facesearch.evaluation.identification.GalleryCache;
import org.facesearch.evaluation.identification.IdentificationBenchmark;
import org.facesearch.model.ModelPack;
import org.facesearch.verification.VerificationCalibration;

/**
 * Calibrates a pack's verification thresholds: the cosine at false-match rates from 1e-2 down to
 * 1e-6 ({@link FmrThresholds#TARGETS}), on LFW with the shipped pipeline.
 *
 * <ol>
 *   <li>Every LFW photo encoded once (the evaluation gallery cache: the face nearest the image
 *       centre, as the LFW protocol takes it; photos without a face left out).
 *   <li>The people split in two halves by a stable hash of their name (the parity of the first byte
 *       of the SHA-256 of the folder name): the <b>calibration</b> half chooses the thresholds, the
 *       <b>held-out</b> half reports how they do on people the calibration never saw.
 *   <li>Per half, every pair of photos of two different people is an impostor pair (about 22
 *       million per half: enough for 1e-6, about 22 false matches), and every pair of a person's
 *       first {@code --max-per-person} photos (default 10) a genuine pair, so that the few people
 *       with hundreds of photos (George W Bush: 530, 140,185 pairs) do not make up most of the
 *       genuine pairs; the FNMR over all genuine pairs is printed too.
 *   <li>At each target rate: the threshold halfway between the last impostor cosine allowed to
 *       match and the next, rounded up to 4 decimals ({@link FmrThresholds#threshold}); the
 *       calibration FNMR; then the held-out FMR (and its ratio to the target) and FNMR at that
 *       threshold.
 *   <li>With {@code --write-pack FILE}: writes the points into the descriptor's {@code
 *       verification} section ({@link VerificationWriter}).
 * </ol>
 *
 * <pre>
 * evaluation/run calibrate-verification --write-pack encoder/src/main/model-packs/default/pack.json
 *   [--pack NAME] [--cache DIR] [--threads T] [--max-per-person 10]</pre>
 */
public final class CalibrateVerification {
  private CalibrateVerification() {}

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv, Set.of("write-pack", "pack", "cache", "threads", "max-per-person"));
    String write = args.stringOrNull("write-pack");
    ModelPack pack = Inputs.pack(args.string("pack", "default"));
    int threads = args.positive("threads", Inputs.cores());
    int maxPerPerson = args.positive("max-per-person", 10);
    String command = ("evaluation/run calibrate-verification " + args.line()).strip();
    Lfw lfw = Lfw.open();
    try (FaceEncoder encoder =
            FaceEncoder.open(pack, EncoderOptions.defaults().withThreads(threads));
        GalleryCache cache =
            GalleryCache.openOrBuild(
                lfw,
                encoder,
                args.path("cache", IdentificationBenchmark.DEFAULT_CACHE),
                threads,
                System.out)) {
      int noFace = 0;
      for (int i = 0; i < cache.size(); i++) {
        noFace += cache.hasFace(i) ? 0 : 1;
      }
      Half calibration = Half.of(lfw, cache, true, maxPerPerson);
      Half heldOut = Half.of(lfw, cache, false, maxPerPerson);
      System.out.printf(
          Locale.ROOT,
          "LFW: %d photos, %d without a face found (left out)%n",
          cache.size(),
          noFace);
      for (Half h : List.of(calibration, heldOut)) {
        System.out.printf(
            Locale.ROOT,
            "%s half: %d people, %d photos, %,d impostor pairs, %,d genuine pairs (first %d photos of each person; "
                + "%,d over all photos)%n",
            h.name,
            h.people,
            h.photos,
            h.impostors.length,
            h.genuine.length,
            maxPerPerson,
            h.allGenuine.length);
      }

      List<VerificationCalibration.Point> points = new ArrayList<>();
      System.out.println();
      System.out.println(
          "| target FMR | threshold | calibration FMR | calibration FNMR | held-out false matches | held-out FMR | "
              + "held-out FMR / target | held-out FNMR | held-out FNMR, all genuine pairs |");
      System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
      for (double target : FmrThresholds.TARGETS) {
        double t = FmrThresholds.threshold(calibration.impostors, target);
        if (Double.isNaN(t)) {
          System.out.printf(
              Locale.ROOT,
              "| %s | the calibration half's %,d impostor pairs cannot measure this rate | | | | | | | |%n",
              VerificationCalibration.rate(target),
              calibration.impostors.length);
          continue;
        }
        double fnmr = FmrThresholds.rateBelow(calibration.genuine, t);
        points.add(new VerificationCalibration.Point(target, t, round(fnmr)));
        long falseMatches = FmrThresholds.atLeast(heldOut.impostors, t);
        double heldFmr = (double) falseMatches / heldOut.impostors.length;
        System.out.printf(
            Locale.ROOT,
            "| %s | %.4f | %.3g | %.2f%% | %,d | %.3g | %.2f | %.2f%% | %.2f%% |%n",
            VerificationCalibration.rate(target),
            t,
            FmrThresholds.rateAtLeast(calibration.impostors, t),
            100 * fnmr,
            falseMatches,
            heldFmr,
            heldFmr / target,
            100 * FmrThresholds.rateBelow(heldOut.genuine, t),
            100 * FmrThresholds.rateBelow(heldOut.allGenuine, t));
      }
      if (write != null) {
        String source =
            String.format(
                Locale.ROOT,
                "Made %s from LFW (../shared/data/lfw) with the %s pack: every photo encoded once (the face nearest the image centre; %d of %d "
                    + "photos without a face left out), the people split in two halves by the parity of the first byte of the SHA-256 of their "
                    + "folder name. This is the calibration half: %d people, %d photos, %d impostor pairs (every pair of photos of two different "
                    + "people), %d genuine pairs (every pair of each person's first %d photos). Threshold: halfway between the last impostor "
                    + "cosine allowed to match and the next, rounded up to %d decimals; fnmr: the share of the genuine pairs below it. Held-out "
                    + "figures: docs/results/accuracy.md. Regenerate: %s",
                Inputs.today(),
                pack.name(),
                noFace,
                cache.size(),
                calibration.people,
                calibration.photos,
                calibration.impostors.length,
                calibration.genuine.length,
                maxPerPerson,
                FmrThresholds.DECIMALS,
                command);
        VerificationWriter.write(Path.of(write), new VerificationCalibration(points, source));
        System.out.println("wrote the verification section of " + write);
      }
    }
  }

  private static double round(double rate) {
    return Math.round(rate * 1e6) / 1e6;
  }

  /**
   * Whether {@code person} belongs to the calibration half: the first byte of the SHA-256 of the
   * name is even.
   */
  static boolean calibrationHalf(String person) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(person.getBytes(StandardCharsets.UTF_8));
      return (digest[0] & 1) == 0;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** The pair scores of one half of the people (each array ascending). */
  static final class Half {
    final String name;
    final int people;
    final int photos;
    final float[] impostors;
    final float[] genuine;
    final float[] allGenuine;

    private Half(
        String name,
        int people,
        int photos,
        float[] impostors,
        float[] genuine,
        float[] allGenuine) {
      this.name = name;
      this.people = people;
      this.photos = photos;
      this.impostors = impostors;
      this.genuine = genuine;
      this.allGenuine = allGenuine;
    }

    static Half of(Lfw lfw, GalleryCache cache, boolean calibration, int maxPerPerson) {
      List<float[]> embeddings = new ArrayList<>();
      List<Integer> labels = new ArrayList<>();
      List<Integer> rank =
          new ArrayList<>(); // the photo's place among its person's photos with a face
      int people = 0;
      int lastLabel = -1;
      int inPerson = 0;
      for (int i = 0; i < cache.size(); i++) {
        int label = lfw.label(i);
        if (calibrationHalf(lfw.person(label)) != calibration || !cache.hasFace(i)) {
          continue;
        }
        if (label != lastLabel) {
          people++;
          lastLabel = label;
          inPerson = 0;
        }
        embeddings.add(cache.embedding(i));
        labels.add(label);
        rank.add(inPerson++);
      }
      int n = embeddings.size();
      int[] owner = labels.stream().mapToInt(Integer::intValue).toArray();
      int[] place = rank.stream().mapToInt(Integer::intValue).toArray();
      long impostorCount = 0;
      long genuineCount = 0;
      long allGenuineCount = 0;
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          if (owner[i] == owner[j]) {
            allGenuineCount++;
            genuineCount += place[j] < maxPerPerson ? 1 : 0;
          } else {
            impostorCount++;
          }
        }
      }
      float[] impostors = new float[Math.toIntExact(impostorCount)];
      float[] genuine = new float[Math.toIntExact(genuineCount)];
      float[] allGenuine = new float[Math.toIntExact(allGenuineCount)];
      int ki = 0;
      int kg = 0;
      int ka = 0;
      float[][] e = embeddings.toArray(new float[0][]);
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          float cosine = VectorUtil.dotProduct(e[i], e[j]);
          if (owner[i] == owner[j]) {
            allGenuine[ka++] = cosine;
            if (place[j] < maxPerPerson) {
              genuine[kg++] = cosine;
            }
          } else {
            impostors[ki++] = cosine;
          }
        }
      }
      return new Half(
          calibration ? "calibration" : "held-out",
          people,
          n,
          FmrThresholds.sorted(impostors),
          FmrThresholds.sorted(genuine),
          FmrThresholds.sorted(allGenuine));
    }
  }
}
