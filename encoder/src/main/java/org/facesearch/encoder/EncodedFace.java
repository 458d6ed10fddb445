package org.facesearch.encoder;

import org.facesearch.align.FaceAligner;
import org.facesearch.align.SimilarityTransform;
import org.facesearch.image.RgbImage;
import org.facesearch.patches.PatchMap;
import org.facesearch.recognizability.CellOcclusion;

/**
 * One encoded face: its unit embedding, its patch map (the feature map before global pooling, cut
 * into grid cells), the map's unit centre, and where it was found.
 *
 * <p>Patch layout: cell (row r, column c) is cell index {@code r * gridW + c} (row-major); the unit
 * patches array holds the cells one after another, {@code patchDims} floats each, every cell scaled
 * to length 1 (a cell that was all zeros stays zero). {@link #cellNorms()} keeps each cell's length
 * before that scaling, so the raw map can be rebuilt exactly ({@link #rawPatches()}), e.g. to pool
 * it onto a coarser grid.
 *
 * <p>Coordinates ({@link #box()}, {@link #landmarks()}) are in pixels of the upright input image,
 * continuous: pixel (i, j) covers [i, i+1) x [j, j+1).
 *
 * <p>Arrays returned by the accessors are this object's own: callers must not modify them.
 */
public final class EncodedFace {
  private final float[] embedding;
  private final int gridH;
  private final int gridW;
  private final int patchDims;
  private final float[] unitPatches;
  private final float[] cellNorms;
  private final float[] centre;
  private final float[] box;
  private final float[] landmarks;
  private final float detectionScore;
  private final RgbImage alignedFace;
  private final Alignment alignment;

  /**
   * How the aligned face was cut from its photo: the warp from photo pixels and the photo's size.
   */
  record Alignment(SimilarityTransform toAligned, int photoWidth, int photoHeight) {}

  EncodedFace(
      float[] embedding,
      int gridH,
      int gridW,
      int patchDims,
      float[] unitPatches,
      float[] cellNorms,
      float[] centre,
      float[] box,
      float[] landmarks,
      float detectionScore,
      RgbImage alignedFace,
      Alignment alignment) {
    this.embedding = embedding;
    this.gridH = gridH;
    this.gridW = gridW;
    this.patchDims = patchDims;
    this.unitPatches = unitPatches;
    this.cellNorms = cellNorms;
    this.centre = centre;
    this.box = box;
    this.landmarks = landmarks;
    this.detectionScore = detectionScore;
    this.alignedFace = alignedFace;
    this.alignment = alignment;
  }

  /** The embedding, L2-normalised (length 1). */
  public float[] embedding() {
    return embedding;
  }

  /** Rows of the patch grid (7 for the default pack). */
  public int gridH() {
    return gridH;
  }

  /** Columns of the patch grid (7 for the default pack). */
  public int gridW() {
    return gridW;
  }

  /** Values per patch (the feature map's channels; 512 for the default pack). */
  public int patchDims() {
    return patchDims;
  }

  /**
   * {@code gridH * gridW} unit-length patch vectors of {@code patchDims} floats, row-major cells.
   */
  public float[] unitPatches() {
    return unitPatches;
  }

  /** Each cell's L2 norm before normalisation, {@code gridH * gridW} values. */
  public float[] cellNorms() {
    return cellNorms;
  }

  /** A new array with the raw (unnormalised) patch vectors: unit patch times its cell norm. */
  public float[] rawPatches() {
    float[] raw = new float[unitPatches.length];
    for (int cell = 0; cell < cellNorms.length; cell++) {
      float n = cellNorms[cell];
      for (int i = cell * patchDims, end = i + patchDims; i < end; i++) {
        raw[i] = unitPatches[i] * n;
      }
    }
    return raw;
  }

  /** The patch map as a {@link PatchMap} (sharing this face's arrays). */
  public PatchMap patchMap() {
    return new PatchMap(gridH, gridW, patchDims, unitPatches, cellNorms);
  }

  /** The feature map averaged over all cells, L2-normalised ({@code patchDims} floats). */
  public float[] centre() {
    return centre;
  }

  /** Face box {x, y, width, height} in image pixels, trimmed to the image. */
  public float[] box() {
    return box;
  }

  /**
   * The 5 alignment points, interleaved x, y in image pixels: left eye, right eye, nose tip, left
   * and right mouth corner. In {@link EncodeMode#ALIGNED} mode, the template's points mapped onto
   * the input.
   */
  public float[] landmarks() {
    return landmarks;
  }

  /** The detector's face probability; 1 in {@link EncodeMode#ALIGNED} mode (no detector ran). */
  public float detectionScore() {
    return detectionScore;
  }

  /** The aligned face exactly as the feature model saw it (input size x input size). */
  public RgbImage alignedFace() {
    return alignedFace;
  }

  /**
   * Per patch cell, row-major, the share of the aligned face's pixels that lie past the photo's
   * edge (black padding, not the face); null when the face was given already aligned. Computed on
   * each call (microseconds; only query faces need it).
   */
  public float[] paddingShares() {
    if (alignment == null) {
      return null;
    }
    int w = alignedFace.width();
    int h = alignedFace.height();
    boolean[] outside =
        FaceAligner.outside(
            alignment.toAligned(), alignment.photoWidth(), alignment.photoHeight(), w, h);
    return CellOcclusion.shares(outside, w, h, gridH, gridW);
  }

  /** Box area in pixels (the sort key of results: largest first). */
  public float boxArea() {
    return box[2] * box[3];
  }
}
