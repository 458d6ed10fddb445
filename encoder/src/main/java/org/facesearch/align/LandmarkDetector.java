package org.facesearch.align;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.facesearch.detect.Detection;
import org.facesearch.image.Resampler;
import org.facesearch.image.RgbImage;
import org.facesearch.model.ModelIO;
import org.facesearch.model.ModelSessions;
import org.facesearch.model.PackDescriptor;

/**
 * Finds facial landmarks inside a detection box with the pack's landmark model and reduces them to
 * the 5 points alignment uses. The crop is the box squared by its height around the box's
 * horizontal centre, with no margin (the model was trained on such crops), resized to the model's
 * input, turned grey with the descriptor's weights and normalised. Thread-safe.
 */
public final class LandmarkDetector {
  private final ModelSessions sessions;
  private final PackDescriptor.Landmarks spec;
  private final LongAdder modelNanos = new LongAdder();

  /** A landmark detector running {@code sessions.landmarks()} as its descriptor says. */
  public LandmarkDetector(ModelSessions sessions) {
    this.sessions = sessions;
    this.spec = sessions.descriptor().landmarks();
  }

  /**
   * All landmarks of the face in {@code box}: interleaved x, y in image pixels (continuous
   * coordinates, like the box), {@code 2 * points} values.
   */
  public float[] landmarks(RgbImage image, Detection box) {
    double side = box.height();
    double x0 = (box.x1() + box.x2()) / 2.0 - side / 2.0;
    double y0 = box.y1();
    int s = spec.inputSize();
    int plane = s * s;
    float[] rgb = Resampler.planes(image, x0, y0, side, side, s, s);
    float[] grey = new float[plane];
    float[] w = spec.greyWeights();
    for (int i = 0; i < plane; i++) {
      float g = w[0] * rgb[i] + w[1] * rgb[plane + i] + w[2] * rgb[2 * plane + i];
      grey[i] = (g - spec.mean()) * spec.scale();
    }
    float[] out;
    long start = System.nanoTime();
    try (OnnxTensor t =
            OnnxTensor.createTensor(
                sessions.environment(),
                ModelIO.direct(grey, grey.length),
                new long[] {1, 1, s, s});
        OrtSession.Result r = sessions.landmarks().run(Map.of(spec.input(), t))) {
      out = ModelIO.floats(r, spec.output());
    } catch (OrtException e) {
      throw new IllegalStateException("the landmark model failed: " + e.getMessage(), e);
    } finally {
      modelNanos.add(System.nanoTime() - start);
    }
    for (int i = 0; i < out.length; i += 2) {
      out[i] = (float) (x0 + out[i] * side);
      out[i + 1] = (float) (y0 + out[i + 1] * side);
    }
    return out;
  }

  /**
   * The 5 alignment points (left eye, right eye, nose, left and right mouth corner) of the face in
   * {@code box}, interleaved x, y in image pixels: each the mean of the landmarks the descriptor's
   * {@code five_points} lists for it.
   */
  public float[] fivePoints(RgbImage image, Detection box) {
    return reduce(landmarks(image, box), spec.fivePoints());
  }

  /** Averages groups of landmarks into one point each. */
  static float[] reduce(float[] landmarks, int[][] groups) {
    float[] five = new float[2 * groups.length];
    for (int g = 0; g < groups.length; g++) {
      double x = 0, y = 0;
      for (int idx : groups[g]) {
        x += landmarks[2 * idx];
        y += landmarks[2 * idx + 1];
      }
      five[2 * g] = (float) (x / groups[g].length);
      five[2 * g + 1] = (float) (y / groups[g].length);
    }
    return five;
  }

  /** Nanoseconds spent inside the landmark model so far (all threads). */
  public long modelNanos() {
    return modelNanos.sum();
  }
}
