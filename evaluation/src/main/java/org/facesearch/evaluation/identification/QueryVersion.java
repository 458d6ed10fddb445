package org.facesearch.evaluation.identification;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.facesearch.image.RgbImage;

/**
 * The versions of a query image. All but {@link #CLEAN} and {@link #CROP_REALIGNED} change the
 * query's aligned 112x112 crop (the one the gallery encoding produced) and embed it as an
 * already-aligned face, as a caller with {@code mode: aligned} would. {@link #CROP_REALIGNED} crops
 * the original photo and runs the whole pipeline again (detect, landmarks, align, embed).
 */
enum QueryVersion {
  CLEAN("clean", "in-distribution (unaltered)", "clean"),
  CROP("crop", "70% crop of the aligned face", "crop\n(aligned face)"),
  MASK("mask", "mask (nose tip down)", "mask"),
  SUNGLASSES("sunglasses", "sunglasses (band over the eyes)", "sunglasses"),
  LOW_RES_16("lowres16", "low resolution 16x16", "16x16"),
  LOW_RES_24("lowres24", "low resolution 24x24", "24x24"),
  ROTATION("rotation", "rotation +-30 degrees", "rotation\n+-30"),
  CROP_REALIGNED(
      "crop-realigned",
      "70% crop of the photo, re-detected and re-aligned",
      "crop (photo)\nre-aligned");

  /** Side fraction of the crops (the paper's LFW-crop keeps 70%). */
  static final double CROP_FRACTION = 0.7;

  static final double ROTATION_DEGREES = 30;

  private final String key;
  private final String label;
  private final String chartLabel;

  QueryVersion(String key, String label, String chartLabel) {
    this.key = key;
    this.label = label;
    this.chartLabel = chartLabel;
  }

  /** The name under a chart's bars (may hold a line break). */
  String chartLabel() {
    return chartLabel;
  }

  /** The name on the command line. */
  String key() {
    return key;
  }

  /** The name in tables. */
  String label() {
    return label;
  }

  /** Whether the query is the aligned crop, changed (or not) and embedded as aligned. */
  boolean onAlignedCrop() {
    return this != CROP_REALIGNED;
  }

  /** The changed aligned crop; {@code template} holds the five alignment points (pixel centres). */
  RgbImage apply(RgbImage aligned, float[] template, Random random) {
    return switch (this) {
      case CLEAN -> aligned;
      case CROP -> Degradations.crop(aligned, CROP_FRACTION, random);
      case MASK -> Degradations.mask(aligned, template);
      case SUNGLASSES -> Degradations.sunglasses(aligned, template);
      case LOW_RES_16 -> Degradations.lowResolution(aligned, 16);
      case LOW_RES_24 -> Degradations.lowResolution(aligned, 24);
      case ROTATION ->
          Degradations.rotate(aligned, random.nextBoolean() ? ROTATION_DEGREES : -ROTATION_DEGREES);
      case CROP_REALIGNED ->
          throw new IllegalStateException(
              "the re-aligned crop starts from the photo, not the aligned crop");
    };
  }

  /**
   * The seeded random source of one query's version: a function of the run's seed, the query's
   * gallery index and the version only, so a query's image does not depend on which other queries
   * were drawn or on thread scheduling.
   */
  Random random(long seed, int galleryIndex) {
    long h =
        seed * 0x9E3779B97F4A7C15L
            + galleryIndex * 0xC2B2AE3D27D4EB4FL
            + ordinal() * 0x165667B19E3779F9L;
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    return new Random(h);
  }

  /** Every version's key, comma-separated: the default of {@code --versions}. */
  static String allKeys() {
    return String.join(",", keys());
  }

  static List<QueryVersion> parse(String list) {
    List<QueryVersion> out = new ArrayList<>();
    for (String part : list.split(",")) {
      String k = part.trim().toLowerCase(Locale.ROOT);
      QueryVersion found = null;
      for (QueryVersion v : values()) {
        if (v.key.equals(k)) {
          found = v;
        }
      }
      if (found == null) {
        throw new IllegalArgumentException(
            "unknown query version [" + part + "]; known: " + List.of(keys()));
      }
      out.add(found);
    }
    return out;
  }

  private static String[] keys() {
    String[] k = new String[values().length];
    for (int i = 0; i < k.length; i++) {
      k[i] = values()[i].key;
    }
    return k;
  }
}
