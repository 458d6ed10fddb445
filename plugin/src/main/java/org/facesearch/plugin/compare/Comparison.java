package org.facesearch.plugin.compare;

import java.util.List;
import java.util.Locale;
import org.apache.lucene.util.VectorUtil;
import org.facesearch.emd.AutoAlpha;
import org.facesearch.emd.EmdParams;
import org.facesearch.emd.EmdResult;
import org.facesearch.emd.EmdScorer;
import org.facesearch.emd.FacePatches;
import org.facesearch.image.RgbImage;
import org.facesearch.patches.PatchMap;
import org.facesearch.verification.VerificationCalibration;

/**
 * One 1:1 comparison: the cosine of two unit embeddings, the stage-2 score of their patch maps (as
 * the {@code face_emd} rescorer computes it, face a in the query's place), each face's
 * recognizability, and a decision at a threshold.
 *
 * <p>The decision: {@code undecided} when either face's ERS is below the recognizability threshold
 * (docs/algorithms.md section 4: a pair is decided only when both faces are recognizable), else
 * {@code match} when the cosine is at least the threshold and {@code no_match} when it is below.
 * The threshold is a cosine because the verification calibration is one: it measures how often the
 * cosines of two different people reach it. The stage-2 score is reported beside it, not decided
 * on: it depends on alpha, the weighting and the grid, and no calibration says how often two
 * different people reach a given score.
 */
final class Comparison {

  /** What a comparison concludes. */
  enum Decision {
    MATCH,
    NO_MATCH,
    UNDECIDED;

    String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One face as compared: its unit embedding, its patch map (null without one), its ERS under the
   * model (null when the model has no UI centroid), and, for a photo, the aligned crop with its
   * per-cell occlusion and padding shares (null otherwise).
   */
  record Face(
      CompareRequest.Side side,
      float[] embedding,
      PatchMap patches,
      Float ers,
      RgbImage aligned,
      float[] occlusion,
      float[] padding,
      float[] box,
      Float detectionScore) {

    FacePatches facePatches() {
      if (patches == null) {
        return null;
      }
      FacePatches p =
          FacePatches.fromCellMajor(
              patches.rows(),
              patches.cols(),
              patches.dims(),
              patches.cells(),
              patches.norms(),
              patches.centre(),
              embedding);
      return occlusion == null ? p : p.withOcclusion(occlusion, padding);
    }
  }

  /**
   * The threshold decided at: a cosine, with the false-match rate it stands for and the
   * calibration's false non-match rate there (both null when the request gave the cosine).
   */
  record Threshold(double cosine, Double fmr, Double fnmr) {

    static Threshold of(CompareRequest request, VerificationCalibration calibration, String model) {
      if (request.minSimilarity() != null) {
        return new Threshold(request.minSimilarity(), null, null);
      }
      double fmr = request.fmr() != null ? request.fmr() : CompareRequest.DEFAULT_FMR;
      if (calibration == null) {
        throw new IllegalArgumentException(
            "model ["
                + model
                + "] has no verification calibration, so [fmr] cannot be turned into a threshold:"
                + " give [min_similarity] (a cosine)");
      }
      try {
        return new Threshold(calibration.threshold(fmr), fmr, calibration.fnmr(fmr));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "[fmr] " + e.getMessage() + " of model [" + model + "]", e);
      }
    }

    String describe() {
      return fmr == null
          ? String.format(Locale.ROOT, "min_similarity %.4f", cosine)
          : String.format(
              Locale.ROOT,
              "%.4f, the threshold at false-match rate %s",
              cosine,
              VerificationCalibration.rate(fmr));
    }
  }

  final Face a;
  final Face b;
  final double cosine;

  /** The stage-2 result (flows included), or null when either face has no patch map. */
  final EmdResult emd;

  final Threshold threshold;

  /** The stage-2 parameters used (alpha chosen, for {@code alpha: auto}). */
  final EmdParams params;

  /** The recognizability threshold, or null when the model has none. */
  final Float minErs;

  final Decision decision;
  final String reason;

  Comparison(
      Face a, Face b, Threshold threshold, Float minErs, EmdParams params, boolean autoAlpha) {
    this.a = a;
    this.b = b;
    this.threshold = threshold;
    this.minErs = minErs;
    this.cosine = VectorUtil.dotProduct(a.embedding(), b.embedding());
    FacePatches pa = a.facePatches();
    FacePatches pb = b.facePatches();
    this.params =
        autoAlpha && pa != null ? params.toBuilder().alpha(AutoAlpha.of(pa)).build() : params;
    this.emd = pa != null && pb != null ? new EmdScorer(pa, this.params).score(pb, cosine) : null;
    List<String> unrecognizable = new java.util.ArrayList<>();
    if (minErs != null) {
      for (Face f : List.of(a, b)) {
        if (f.ers() != null && f.ers() < minErs) {
          unrecognizable.add(f.side().name());
        }
      }
    }
    if (!unrecognizable.isEmpty()) {
      decision = Decision.UNDECIDED;
      reason =
          unrecognizable.size() == 2
              ? String.format(
                  Locale.ROOT,
                  "faces a and b are unrecognizable: ERS %.3f and %.3f, below %s",
                  a.ers(),
                  b.ers(),
                  minErs)
              : String.format(
                  Locale.ROOT,
                  "face %s is unrecognizable: ERS %.3f below %s",
                  unrecognizable.get(0),
                  unrecognizable.get(0).equals("a") ? a.ers() : b.ers(),
                  minErs);
    } else if (cosine >= threshold.cosine()) {
      decision = Decision.MATCH;
      reason =
          String.format(Locale.ROOT, "cosine %.4f is at or above %s", cosine, threshold.describe());
    } else {
      decision = Decision.NO_MATCH;
      reason = String.format(Locale.ROOT, "cosine %.4f is below %s", cosine, threshold.describe());
    }
  }

  /** Whether face {@code f} is below the recognizability threshold. */
  boolean unrecognizable(Face f) {
    return minErs != null && f.ers() != null && f.ers() < minErs;
  }
}
