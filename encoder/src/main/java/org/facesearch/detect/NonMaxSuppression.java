package org.facesearch.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Greedy non-maximum suppression: visit boxes from the highest score down and keep a box unless its
 * intersection over union with a box already kept exceeds the threshold. (Ordered by score, with
 * IoU over the union: orderings by position or overlap measured against one box's own area, as some
 * face-detection demos do, keep the wrong box or drop neighbouring faces.)
 */
public final class NonMaxSuppression {
  private NonMaxSuppression() {}

  /**
   * @param candidates boxes in any order (not modified)
   * @param iouThreshold a box overlapping a kept one by more than this is dropped
   * @return the kept boxes, highest score first (equal scores keep their input order)
   */
  public static List<Detection> apply(List<Detection> candidates, float iouThreshold) {
    List<Detection> sorted = new ArrayList<>(candidates);
    sorted.sort(Comparator.comparingDouble(Detection::score).reversed()); // stable
    List<Detection> kept = new ArrayList<>();
    for (Detection d : sorted) {
      boolean keep = true;
      for (Detection k : kept) {
        if (d.iou(k) > iouThreshold) {
          keep = false;
          break;
        }
      }
      if (keep) {
        kept.add(d);
      }
    }
    return kept;
  }
}
