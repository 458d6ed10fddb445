package org.facesearch.plugin.settings;

import java.util.List;
import org.facesearch.model.Device;
import org.facesearch.option.EnumOption;
import org.facesearch.queryface.ModelQueryFaces;
import org.facesearch.rescore.RescoreLimits;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Setting.Property;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.core.common.unit.ByteSizeUnit;
import org.opensearch.core.common.unit.ByteSizeValue;

/** The node settings of the plugin, all under {@code plugins.face.*}. */
public final class FaceSettings {

  /**
   * Where the models run: {@code cpu} (default) or {@code cuda}; CUDA missing is a startup error.
   */
  public static final Setting<Device> INFERENCE_DEVICE =
      new Setting<>(
          "plugins.face.inference.device",
          Device.CPU.toString(),
          value -> EnumOption.parse("plugins.face.inference.device", value, Device.class),
          Property.NodeScope);

  /**
   * Threads that run models. Each ONNX session uses one intra-op thread, which measured faster than
   * intra-op parallelism on small machines; parallelism comes from running faces side by side.
   */
  public static final Setting<Integer> INFERENCE_THREADS =
      Setting.intSetting(
          "plugins.face.inference.threads",
          Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
          1,
          Property.NodeScope);

  /** Faces per model run when several are waiting (bulk indexing). */
  public static final Setting<Integer> INFERENCE_BATCH_SIZE =
      Setting.intSetting("plugins.face.inference.batch_size", 8, 1, 256, Property.NodeScope);

  /** Images waiting for a model thread; beyond it requests are rejected with HTTP 429. */
  public static final Setting<Integer> INFERENCE_QUEUE_SIZE =
      Setting.intSetting("plugins.face.inference.queue_size", 1000, 1, Property.NodeScope);

  /**
   * Memory the images waiting for or going through the models may hold together: their encoded
   * bytes plus their decoded pixels (3 bytes each, read from the image headers). An image that
   * would go past it is refused with HTTP 429, like a full queue. A count alone does not bound
   * memory (a thousand 1600x1600 photos hold as much as millions of small ones); 10% of the heap
   * keeps a burst of large photos to a tenth of it, and still lets about a thousand LFW-sized
   * photos wait on a 2 GB heap.
   */
  public static final Setting<ByteSizeValue> INFERENCE_QUEUE_MEMORY =
      Setting.memorySizeSetting(
          "plugins.face.inference.queue_memory", "10%", Property.NodeScope, Property.Dynamic);

  /** Largest encoded image accepted, checked before decoding. */
  public static final Setting<ByteSizeValue> IMAGE_MAX_BYTES =
      Setting.byteSizeSetting(
          "plugins.face.image.max_bytes",
          new ByteSizeValue(20, ByteSizeUnit.MB),
          new ByteSizeValue(1, ByteSizeUnit.KB),
          new ByteSizeValue(Integer.MAX_VALUE, ByteSizeUnit.BYTES),
          Property.NodeScope,
          Property.Dynamic);

  /** Largest image accepted in pixels (width * height), read from the header before decoding. */
  public static final Setting<Long> IMAGE_MAX_PIXELS =
      Setting.longSetting(
          "plugins.face.image.max_pixels", 40_000_000L, 1L, Property.NodeScope, Property.Dynamic);

  /**
   * Most faces one {@code _plugins/face/recognizability/_centroid} request may embed (images times
   * copies) or cluster (sample size): bounds the request's time (clustering is quadratic in it) and
   * memory.
   */
  public static final Setting<Integer> RECOGNIZABILITY_MAX_FACES =
      Setting.intSetting(
          "plugins.face.recognizability.max_faces",
          10_000,
          1,
          100_000,
          Property.NodeScope,
          Property.Dynamic);

  /**
   * Most photos in one query's {@code images} (a template of one person): each is encoded before
   * the search starts, about 30 ms per LFW-sized photo on one inference thread.
   */
  public static final Setting<Integer> QUERY_MAX_IMAGES =
      Setting.intSetting(
          ModelQueryFaces.MAX_IMAGES_SETTING,
          ModelQueryFaces.DEFAULT_MAX_IMAGES,
          1,
          1000,
          Property.NodeScope,
          Property.Dynamic);

  /**
   * Most Sinkhorn work one {@code face_emd} rescore may ask for per shard: {@code window_size x
   * max_iterations x} (grid cells)^2, the transport-plan entries it may update ({@link
   * RescoreLimits}).
   */
  public static final Setting<Long> RESCORE_MAX_WORK =
      Setting.longSetting(
          RescoreLimits.MAX_WORK_SETTING,
          RescoreLimits.DEFAULT_MAX_WORK,
          1L,
          Property.NodeScope,
          Property.Dynamic);

  /**
   * Query images whose encodings the node keeps ({@code face} query and {@code face_emd} rescorer):
   * a repeated query photo, and the two stages of one search, cost one encoding.
   */
  public static final Setting<Integer> QUERY_CACHE_SIZE =
      Setting.intSetting("plugins.face.query_cache.size", 256, 1, 100_000, Property.NodeScope);

  /**
   * How long an encoded query image not asked for again stays in memory: long enough for a user
   * paging through or refining a search, short enough that query photos (biometric data) do not
   * linger.
   */
  public static final Setting<TimeValue> QUERY_CACHE_EXPIRE_AFTER_ACCESS =
      Setting.timeSetting(
          "plugins.face.query_cache.expire_after_access",
          TimeValue.timeValueMinutes(10),
          TimeValue.timeValueMillis(1),
          Property.NodeScope);

  /** Every setting, for {@code Plugin#getSettings}. */
  public static List<Setting<?>> all() {
    return List.of(
        INFERENCE_DEVICE,
        INFERENCE_THREADS,
        INFERENCE_BATCH_SIZE,
        INFERENCE_QUEUE_SIZE,
        INFERENCE_QUEUE_MEMORY,
        IMAGE_MAX_BYTES,
        IMAGE_MAX_PIXELS,
        RECOGNIZABILITY_MAX_FACES,
        QUERY_MAX_IMAGES,
        RESCORE_MAX_WORK,
        QUERY_CACHE_SIZE,
        QUERY_CACHE_EXPIRE_AFTER_ACCESS);
  }

  private FaceSettings() {}
}
