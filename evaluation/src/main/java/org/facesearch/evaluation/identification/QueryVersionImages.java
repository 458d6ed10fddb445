package org.facesearch.evaluation.identification;

import java.util.LinkedHashMap;
import java.util.Map;
import org.facesearch.image.RgbImage;

/**
 * What each aligned-crop query version of the identification suite makes of an aligned face, for
 * pictures of them.
 */
public final class QueryVersionImages {
  private QueryVersionImages() {}

  /**
   * Every version that changes the aligned crop (all but the re-aligned photo crop), applied to
   * {@code aligned} with the suite's default seed as gallery item 0 (one example of the seeded crop
   * position and rotation sign), keyed by the version's chart label.
   */
  public static Map<String, RgbImage> of(RgbImage aligned, float[] template) {
    Map<String, RgbImage> out = new LinkedHashMap<>();
    for (QueryVersion v : QueryVersion.values()) {
      if (v.onAlignedCrop()) {
        out.put(
            v.chartLabel(),
            v.apply(aligned, template, v.random(IdentificationBenchmark.DEFAULT_SEED, 0)));
      }
    }
    return out;
  }
}
