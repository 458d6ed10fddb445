package org.facesearch.encoder;

import org.facesearch.image.ImageLimits;
import org.facesearch.model.Device;

/**
 * How a {@link FaceEncoder} runs. Every value is validated here, with a message naming it.
 *
 * @param limits image size limits, checked before decoding pixels
 * @param minFaceSize detections whose shorter box side (in image pixels, after trimming the box to
 *     the image) is smaller are dropped; 0 keeps all
 * @param device where the models run
 * @param threads inference threads (each runs whole images; models use one thread each)
 * @param queueSize tasks that may wait for a thread; one more is refused with {@link
 *     InferenceRejectedException}
 * @param batchSize most faces per feature-model call, and most images per batch task
 */
public record EncoderOptions(
    ImageLimits limits, int minFaceSize, Device device, int threads, int queueSize, int batchSize) {

  /** Default shorter-side minimum of a face box, in pixels. */
  public static final int DEFAULT_MIN_FACE_SIZE = 20;

  /** Default queue length. */
  public static final int DEFAULT_QUEUE_SIZE = 1000;

  /** Default faces per feature-model call. */
  public static final int DEFAULT_BATCH_SIZE = 8;

  /** Validates every field. */
  public EncoderOptions {
    if (limits == null) {
      throw new IllegalArgumentException("image limits are required");
    }
    if (minFaceSize < 0) {
      throw new IllegalArgumentException("min_face_size must be >= 0, got " + minFaceSize);
    }
    if (device == null) {
      throw new IllegalArgumentException("device is required (cpu or cuda)");
    }
    if (threads < 1 || threads > 1024) {
      throw new IllegalArgumentException("inference threads must be in [1, 1024], got " + threads);
    }
    if (queueSize < 0 || queueSize > 1_000_000) {
      throw new IllegalArgumentException(
          "inference queue_size must be in [0, 1000000], got " + queueSize);
    }
    if (batchSize < 1 || batchSize > 1024) {
      throw new IllegalArgumentException(
          "inference batch_size must be in [1, 1024], got " + batchSize);
    }
  }

  /**
   * Defaults: {@link ImageLimits#DEFAULT}, 20 px, CPU, half the cores (at least one: the node also
   * indexes and searches), queue 1000, batch 8.
   */
  public static EncoderOptions defaults() {
    return new EncoderOptions(
        ImageLimits.DEFAULT,
        DEFAULT_MIN_FACE_SIZE,
        Device.CPU,
        Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
        DEFAULT_QUEUE_SIZE,
        DEFAULT_BATCH_SIZE);
  }

  /** A copy with other image limits. */
  public EncoderOptions withLimits(ImageLimits l) {
    return new EncoderOptions(l, minFaceSize, device, threads, queueSize, batchSize);
  }

  /** A copy with another minimum face size. */
  public EncoderOptions withMinFaceSize(int m) {
    return new EncoderOptions(limits, m, device, threads, queueSize, batchSize);
  }

  /** A copy with another device. */
  public EncoderOptions withDevice(Device d) {
    return new EncoderOptions(limits, minFaceSize, d, threads, queueSize, batchSize);
  }

  /** A copy with another thread count. */
  public EncoderOptions withThreads(int t) {
    return new EncoderOptions(limits, minFaceSize, device, t, queueSize, batchSize);
  }

  /** A copy with another queue size. */
  public EncoderOptions withQueueSize(int q) {
    return new EncoderOptions(limits, minFaceSize, device, threads, q, batchSize);
  }

  /** A copy with another batch size. */
  public EncoderOptions withBatchSize(int b) {
    return new EncoderOptions(limits, minFaceSize, device, threads, queueSize, b);
  }
}
