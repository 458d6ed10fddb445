package org.facesearch.detect;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.Test;

public class NonMaxSuppressionTests {

  private static Detection box(float x1, float y1, float x2, float y2, float score) {
    return new Detection(x1, y1, x2, y2, score);
  }

  @Test
  public void iouByHand() {
    Detection a = box(0, 0, 10, 10, 1);
    Detection b = box(5, 0, 15, 10, 1); // overlap 5 x 10 = 50, union 150
    assertEquals(50f / 150f, a.iou(b), 1e-6f);
    assertEquals(1f, a.iou(a), 0f);
    assertEquals(0f, a.iou(box(10, 0, 20, 10, 1)), 0f); // touching edges only
    Detection inner = box(2.5f, 2.5f, 7.5f, 7.5f, 1); // 25 inside 100
    assertEquals(0.25f, a.iou(inner), 1e-6f);
  }

  @Test
  public void keepsTheHighestScoreOfAnOverlappingGroup() {
    List<Detection> kept =
        NonMaxSuppression.apply(
            List.of(
                box(0, 0, 10, 10, 0.7f),
                box(1, 0, 11, 10, 0.9f), // IoU with the first 90/110 = 0.82
                box(50, 50, 60, 60, 0.8f)),
            0.4f);
    assertEquals(List.of(box(1, 0, 11, 10, 0.9f), box(50, 50, 60, 60, 0.8f)), kept);
  }

  @Test
  public void overlapIsMeasuredAgainstTheUnionNotTheSmallerBox() {
    // A small face box inside a big one: intersection over the small box's own area is 1 and
    // would drop it; over the union it is 0.25, below 0.4, so both stay.
    List<Detection> kept =
        NonMaxSuppression.apply(
            List.of(box(0, 0, 10, 10, 0.9f), box(2.5f, 2.5f, 7.5f, 7.5f, 0.8f)), 0.4f);
    assertEquals(2, kept.size());
  }

  @Test
  public void ordersByScoreNotByPosition() {
    // Sorted by bottom edge the low box would win; by score the high-scoring one must.
    Detection low = box(0, 10, 10, 30, 0.70f);
    Detection high = box(0, 8, 10, 27, 0.95f);
    assertEquals(List.of(high), NonMaxSuppression.apply(List.of(low, high), 0.4f));
  }

  @Test
  public void suppressionIsStrictlyAboveTheThreshold() {
    Detection a = box(0, 0, 10, 10, 0.9f);
    Detection b = box(5, 0, 15, 10, 0.8f); // IoU exactly 1/3
    assertEquals(2, NonMaxSuppression.apply(List.of(a, b), 1f / 3f).size());
    assertEquals(1, NonMaxSuppression.apply(List.of(a, b), 0.33f).size());
  }

  /**
   * Random scenes against the defining properties of greedy NMS, checked by brute force: kept boxes
   * pairwise overlap at most t; every dropped box overlaps some kept box of higher score by more
   * than t; and every kept box overlaps no higher-scored kept box (so nothing kept "too late").
   */
  @Test
  public void randomScenesSatisfyTheDefinition() {
    Random random = new Random(7);
    for (int scene = 0; scene < 300; scene++) {
      List<Detection> boxes = new ArrayList<>();
      int n = 1 + random.nextInt(25);
      for (int i = 0; i < n; i++) {
        float x = random.nextFloat() * 50;
        float y = random.nextFloat() * 50;
        float w = 2 + random.nextFloat() * 20;
        float h = 2 + random.nextFloat() * 20;
        boxes.add(box(x, y, x + w, y + h, random.nextFloat()));
      }
      float t = 0.2f + random.nextFloat() * 0.6f;
      List<Detection> kept = NonMaxSuppression.apply(boxes, t);
      for (int i = 1; i < kept.size(); i++) {
        assertTrue("highest score first", kept.get(i - 1).score() >= kept.get(i).score());
      }
      for (Detection a : kept) {
        for (Detection b : kept) {
          if (a != b) {
            assertFalse("two kept boxes overlap by more than " + t, a.iou(b) > t);
          }
        }
      }
      for (Detection d : boxes) {
        if (kept.contains(d)) {
          continue;
        }
        boolean explained = false;
        for (Detection k : kept) {
          explained |= k.score() >= d.score() && k.iou(d) > t;
        }
        assertTrue("a dropped box overlaps a better kept box", explained);
      }
    }
  }

  @Test
  public void clampingTrimsToTheImage() {
    Detection d = box(-5, 10, 120, 90, 0.9f).clamped(100, 80);
    assertEquals(box(0, 10, 100, 80, 0.9f), d);
    assertEquals(100f * 70f, d.area(), 0f);
  }
}
