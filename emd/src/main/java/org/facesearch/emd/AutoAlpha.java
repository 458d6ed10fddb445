package org.facesearch.emd;

/**
 * {@code alpha: auto}: the EMD term's weight chosen from the query's own evidence
 * (docs/rescorer.md):
 *
 * <pre>
 *   alpha = min(MAX, BASE + SLOPE * covered cell share)
 * </pre>
 *
 * where the covered cell share is the fraction of the query's patch cells whose occluded share,
 * less the share that is alignment padding ({@link FacePatches#padding}), is at least {@link
 * #OCCLUDED_CELL}. {@link Weighting#RECOGNIZABILITY} drops padding cells like any occluded cell
 * (they hold no face), but a photo that ends beside the face is not a covered face, so padding does
 * not raise alpha: counting it cost re-aligned crops of photos 1 point of P@1. The more of the face
 * is covered, the less the embedding's cosine can be trusted and the more the comparison of the
 * visible patches should count. The constants were chosen on the tuning identities of the LFW
 * evaluation for {@code weighting: recognizability} with {@code centre_patches: true}, and reported
 * on the other identities (docs/results/stage-two.md). A gate on the query's ERS (alpha 0 below the
 * model's threshold) was tried there and dropped: it cost 24x24 queries 2 to 3 points of P@1 and
 * gained nothing elsewhere.
 */
public final class AutoAlpha {
  /** A cell with at least this share of occluded (flat) pixels counts as occluded. */
  public static final double OCCLUDED_CELL = 0.05;

  /** alpha of a query with nothing covered. */
  public static final double BASE = 0.3;

  /** alpha added per unit of occluded cell share. */
  public static final double SLOPE = 1.0;

  /** The largest alpha auto gives. */
  public static final double MAX = 0.5;

  private AutoAlpha() {}

  /**
   * The alpha for a query face.
   *
   * @param query the query with its occlusion evidence ({@link FacePatches#withOcclusion}); without
   *     evidence no cell counts as occluded
   */
  public static double of(FacePatches query) {
    return Math.min(MAX, BASE + SLOPE * occludedShare(query));
  }

  /**
   * The fraction of {@code face}'s cells that are covered: occlusion beyond alignment padding at
   * least {@link #OCCLUDED_CELL}.
   */
  public static double occludedShare(FacePatches face) {
    int covered = 0;
    for (int i = 0; i < face.cellCount(); i++) {
      covered += face.occlusion(i) - face.padding(i) >= OCCLUDED_CELL ? 1 : 0;
    }
    return (double) covered / face.cellCount();
  }

  /**
   * Whether cell {@code cell} holds too little of the face to compare: occluded, padding included.
   */
  static boolean occluded(FacePatches face, int cell) {
    return face.occlusion(cell) >= OCCLUDED_CELL;
  }
}
