package org.facesearch.plugin.stats;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.facesearch.encoder.EncoderStats;
import org.facesearch.queryface.QueryFaceCache;
import org.opensearch.action.support.nodes.BaseNodeResponse;
import org.opensearch.cluster.node.DiscoveryNode;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentFragment;
import org.opensearch.core.xcontent.XContentBuilder;

/**
 * One node's encoder counters, by model name, whether each model is open, and its query face cache.
 */
public final class NodeFaceStats extends BaseNodeResponse implements ToXContentFragment {

  private final Map<String, EncoderStats> models;
  private final Map<String, Boolean> open;
  private final QueryFaceCache.Stats queryCache;

  /**
   * @param open per model of {@code models}, whether its ONNX Runtime sessions are open on the node
   */
  NodeFaceStats(
      DiscoveryNode node,
      Map<String, EncoderStats> models,
      Map<String, Boolean> open,
      QueryFaceCache.Stats queryCache) {
    super(node);
    if (!open.keySet().equals(models.keySet())) {
      throw new IllegalArgumentException(
          "open " + open.keySet() + " must name the models " + models.keySet());
    }
    this.models = new LinkedHashMap<>(models);
    this.open = new LinkedHashMap<>(open);
    this.queryCache = queryCache;
  }

  NodeFaceStats(StreamInput in) throws IOException {
    super(in);
    models = new LinkedHashMap<>();
    open = new LinkedHashMap<>();
    int n = in.readVInt();
    for (int i = 0; i < n; i++) {
      String name = in.readString();
      models.put(name, readStats(in));
      open.put(name, in.readBoolean());
    }
    queryCache =
        new QueryFaceCache.Stats(in.readVLong(), in.readVLong(), in.readVLong(), in.readVLong());
  }

  /** The counters of each model this node serves. */
  public Map<String, EncoderStats> models() {
    return models;
  }

  /** Per model, whether the node has opened its ONNX Runtime sessions (see {@code NodeModels}). */
  public Map<String, Boolean> open() {
    return open;
  }

  /**
   * The node's query face cache: entries now, hits, misses and evictions since the node started.
   */
  public QueryFaceCache.Stats queryCache() {
    return queryCache;
  }

  @Override
  public void writeTo(StreamOutput out) throws IOException {
    super.writeTo(out);
    out.writeVInt(models.size());
    for (Map.Entry<String, EncoderStats> e : models.entrySet()) {
      out.writeString(e.getKey());
      writeStats(out, e.getValue());
      out.writeBoolean(open.get(e.getKey()));
    }
    out.writeVLong(queryCache.entries());
    out.writeVLong(queryCache.hits());
    out.writeVLong(queryCache.misses());
    out.writeVLong(queryCache.evictions());
  }

  private static void writeStats(StreamOutput out, EncoderStats s) throws IOException {
    for (long v :
        new long[] {
          s.images(),
          s.faces(),
          s.imagesWithoutFace(),
          s.decodeNanos(),
          s.detectNanos(),
          s.landmarkNanos(),
          s.alignNanos(),
          s.embedNanos(),
          s.detectorModelNanos(),
          s.landmarkModelNanos(),
          s.featureModelNanos(),
          s.featureCalls(),
          s.rejections()
        }) {
      out.writeVLong(v);
    }
    out.writeVInt(s.queueDepth());
    out.writeVInt(s.activeThreads());
    out.writeMap(s.errors(), StreamOutput::writeString, StreamOutput::writeVLong);
  }

  private static EncoderStats readStats(StreamInput in) throws IOException {
    long[] v = new long[13];
    for (int i = 0; i < v.length; i++) {
      v[i] = in.readVLong();
    }
    int queueDepth = in.readVInt();
    int active = in.readVInt();
    Map<String, Long> errors =
        new TreeMap<>(in.readMap(StreamInput::readString, StreamInput::readVLong));
    return new EncoderStats(
        v[0],
        v[1],
        v[2],
        v[3],
        v[4],
        v[5],
        v[6],
        v[7],
        v[8],
        v[9],
        v[10],
        v[11],
        queueDepth,
        active,
        v[12],
        errors);
  }

  @Override
  public XContentBuilder toXContent(XContentBuilder b, Params params) throws IOException {
    b.field("name", getNode().getName());
    b.startObject("query_cache");
    b.field("entries", queryCache.entries());
    b.field("hits", queryCache.hits());
    b.field("misses", queryCache.misses());
    b.field("evictions", queryCache.evictions());
    b.endObject();
    b.startObject("models");
    for (Map.Entry<String, EncoderStats> e : models.entrySet()) {
      EncoderStats s = e.getValue();
      b.startObject(e.getKey());
      b.field("open", open.get(e.getKey()));
      b.field("images", s.images());
      b.field("faces", s.faces());
      b.field("images_without_face", s.imagesWithoutFace());
      b.field("feature_model_calls", s.featureCalls());
      b.field("queue_depth", s.queueDepth());
      b.field("active_threads", s.activeThreads());
      b.field("rejections", s.rejections());
      b.field("errors", s.errors());
      // Summed over the inference threads since the node started; per image, the mean latency of
      // the work (not counting time waiting in the queue).
      b.startObject("time_in_millis");
      b.field("decode", millis(s.decodeNanos()));
      b.field("detect", millis(s.detectNanos()));
      b.field("landmarks", millis(s.landmarkNanos()));
      b.field("align", millis(s.alignNanos()));
      b.field("embed", millis(s.embedNanos()));
      b.field("total", millis(s.totalNanos()));
      b.field("inside_models", millis(s.modelNanos()));
      b.endObject();
      b.field("mean_millis_per_image", s.images() == 0 ? 0.0 : s.totalNanos() / 1e6 / s.images());
      b.endObject();
    }
    return b.endObject();
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
