package org.facesearch.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/** Small helpers shared by the model stages: input normalisation, input buffers, output copying. */
public final class ModelIO {
  private ModelIO() {}

  /**
   * One direct buffer per thread, grown as needed. ONNX Runtime uses a direct, native-order buffer
   * in place, where a heap array would be copied into a freshly allocated (and zeroed) direct
   * buffer on every call: about a megabyte per detection.
   */
  private static final ThreadLocal<FloatBuffer> INPUT = new ThreadLocal<>();

  /**
   * {@code data[0, length)} in this thread's reusable direct buffer, ready to wrap in a tensor. The
   * buffer is overwritten by the next call on the same thread, so the tensor made from it must be
   * closed before then (every stage creates, runs and closes its tensor in one block).
   */
  public static FloatBuffer direct(float[] data, int length) {
    FloatBuffer b = INPUT.get();
    if (b == null || b.capacity() < length) {
      b =
          ByteBuffer.allocateDirect(Math.multiplyExact(length, Float.BYTES))
              .order(ByteOrder.nativeOrder())
              .asFloatBuffer();
      INPUT.set(b);
    }
    b.clear();
    b.put(data, 0, length);
    b.flip();
    return b;
  }

  /**
   * Turns planar RGB 0..255 ({@code 3 * plane} floats) into the model's input in place: R and B
   * planes swapped when the model wants BGR, then {@code (x - mean[c]) * scale[c]} with channel
   * {@code c} counted in the model's order.
   */
  public static void normalise(
      float[] planes, int plane, float[] mean, float[] scale, boolean bgr) {
    normalise(planes, 0, plane, mean, scale, bgr);
  }

  /**
   * As {@link #normalise(float[], int, float[], float[], boolean)}, for the image starting at
   * {@code offset}.
   */
  public static void normalise(
      float[] planes, int offset, int plane, float[] mean, float[] scale, boolean bgr) {
    if (bgr) {
      for (int i = offset; i < offset + plane; i++) {
        float r = planes[i];
        planes[i] = planes[2 * plane + i];
        planes[2 * plane + i] = r;
      }
    }
    for (int c = 0; c < 3; c++) {
      float m = mean[c];
      float s = scale[c];
      for (int i = offset + c * plane, end = i + plane; i < end; i++) {
        planes[i] = (planes[i] - m) * s;
      }
    }
  }

  /**
   * Output {@code name} of {@code r} (a float tensor) as an array of its own, not tied to the
   * result's lifetime.
   */
  public static float[] floats(OrtSession.Result r, String name) {
    OnnxValue v =
        r.get(name)
            .orElseThrow(
                () -> new IllegalStateException("the model returned no output [" + name + "]"));
    if (!(v instanceof OnnxTensor t)) {
      throw new IllegalStateException("model output [" + name + "] is not a tensor");
    }
    // getFloatBuffer() already copies the tensor into a fresh heap buffer (documented as a copy):
    // when that buffer is exactly one whole array, the array is ours to keep, and copying it
    // once more would cost an allocation and a pass over every value (a patch map is 25k floats).
    FloatBuffer b = t.getFloatBuffer();
    if (b.hasArray()
        && b.arrayOffset() == 0
        && b.position() == 0
        && b.remaining() == b.array().length) {
      return b.array();
    }
    float[] out = new float[b.remaining()];
    b.get(out);
    return out;
  }
}
