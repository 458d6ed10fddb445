package org.facesearch.detect;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.facesearch.image.Resampler;
import org.facesearch.image.RgbImage;
import org.facesearch.model.ModelIO;
import org.facesearch.model.ModelSessions;
import org.facesearch.model.PackDescriptor;

/**
 * Finds faces with the pack's detector model. The whole image is resized (not letter-boxed) to the
 * model's input, normalised per channel, and run once. The model's boxes are already decoded in the
 * graph (corner form, 0..1 of the input), so they are only scaled to image pixels, filtered by the
 * score threshold and reduced by {@link NonMaxSuppression}. Thread-safe.
 */
public final class FaceDetector {
  private final ModelSessions sessions;
  private final PackDescriptor.Detector spec;
  private final LongAdder modelNanos = new LongAdder();

  /**
   * Each thread's input array, reused: nearly a megabyte that would otherwise be allocated and
   * zeroed per image.
   */
  private final ThreadLocal<float[]> buffer = new ThreadLocal<>();

  private static final float[] NO_SHIFT = {0, 0, 0};
  private static final float[] NO_SCALE = {1, 1, 1};

  /** A detector running {@code sessions.detector()} as its descriptor says. */
  public FaceDetector(ModelSessions sessions) {
    this.sessions = sessions;
    this.spec = sessions.descriptor().detector();
  }

  /** Faces in {@code image}, highest score first, boxes in image pixels (not clamped). */
  public List<Detection> detect(RgbImage image) {
    int w = spec.inputWidth();
    int h = spec.inputHeight();
    float[] input = buffer.get();
    if (input == null || input.length != 3 * w * h) {
      input = new float[3 * w * h];
      buffer.set(input);
    }
    if (spec.bgr()) {
      Resampler.planes(image, 0, 0, image.width(), image.height(), w, h, input, NO_SHIFT, NO_SCALE);
      ModelIO.normalise(input, w * h, spec.mean(), spec.scale(), true);
    } else {
      Resampler.planes(
          image, 0, 0, image.width(), image.height(), w, h, input, spec.mean(), spec.scale());
    }
    float[] scores;
    float[] boxes;
    long start = System.nanoTime();
    try (OnnxTensor t =
            OnnxTensor.createTensor(
                sessions.environment(), ModelIO.direct(input, 3 * w * h), new long[] {1, 3, h, w});
        OrtSession.Result r = sessions.detector().run(Map.of(spec.input(), t))) {
      scores = ModelIO.floats(r, spec.scoresOutput());
      boxes = ModelIO.floats(r, spec.boxesOutput());
    } catch (OrtException e) {
      throw new IllegalStateException("the face detector failed: " + e.getMessage(), e);
    } finally {
      modelNanos.add(System.nanoTime() - start);
    }
    int anchors = boxes.length / 4;
    int classes = scores.length / anchors;
    float sx = image.width();
    float sy = image.height();
    List<Detection> candidates = new ArrayList<>();
    for (int i = 0; i < anchors; i++) {
      float score = scores[i * classes + spec.faceClass()];
      if (score < spec.scoreThreshold()) {
        continue;
      }
      float x1 = boxes[4 * i] * sx;
      float y1 = boxes[4 * i + 1] * sy;
      float x2 = boxes[4 * i + 2] * sx;
      float y2 = boxes[4 * i + 3] * sy;
      if (x2 > x1 && y2 > y1) {
        candidates.add(new Detection(x1, y1, x2, y2, score));
      }
    }
    return NonMaxSuppression.apply(candidates, spec.nmsIou());
  }

  /** Nanoseconds spent inside the detector model so far (all threads). */
  public long modelNanos() {
    return modelNanos.sum();
  }
}
