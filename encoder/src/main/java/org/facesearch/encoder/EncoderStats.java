package org.facesearch.encoder;

import java.util.Map;

/**
 * Counters of a {@link FaceEncoder} since it was opened, for the stats endpoint and benchmarks.
 * Stage times are summed over all threads; model times are the parts spent inside ONNX Runtime, so
 * {@code stage - model} is the pipeline's own work (resizing, normalising, warping, copying).
 *
 * @param images images encoded successfully (with or without faces)
 * @param faces faces encoded
 * @param imagesWithoutFace successful images in which no face was found
 * @param decodeNanos decoding and orienting images
 * @param detectNanos the detection stage (resize, normalise, model, NMS)
 * @param landmarkNanos the landmark stage (crop, grey, model)
 * @param alignNanos estimating transforms and warping
 * @param embedNanos the feature stage (input tensor, model, normalising, patch layout)
 * @param detectorModelNanos inside the detector model
 * @param landmarkModelNanos inside the landmark model
 * @param featureModelNanos inside the feature model
 * @param featureCalls feature-model calls (fewer than faces when batching)
 * @param queueDepth tasks waiting now
 * @param activeThreads threads working now
 * @param rejections tasks refused because the queue was full
 * @param errors failures by kind ({@code image_truncated}, {@code image_too_many_pixels}, ...,
 *     {@code internal})
 */
public record EncoderStats(
    long images,
    long faces,
    long imagesWithoutFace,
    long decodeNanos,
    long detectNanos,
    long landmarkNanos,
    long alignNanos,
    long embedNanos,
    long detectorModelNanos,
    long landmarkModelNanos,
    long featureModelNanos,
    long featureCalls,
    int queueDepth,
    int activeThreads,
    long rejections,
    Map<String, Long> errors) {

  /** All model time. */
  public long modelNanos() {
    return detectorModelNanos + landmarkModelNanos + featureModelNanos;
  }

  /** All stage time (decode included). */
  public long totalNanos() {
    return decodeNanos + detectNanos + landmarkNanos + alignNanos + embedNanos;
  }
}
