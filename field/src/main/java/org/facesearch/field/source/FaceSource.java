package org.facesearch.field.source;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opensearch.common.collect.Tuple;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.xcontent.XContentBuilder;

/**
 * What a {@code face} field keeps out of a document's {@code _source}: its embedding and its patch
 * map (the derived features). The rest of a face (box, landmarks, ERS, detection score, model)
 * stays, and is what hits and GET show. This class removes those keys from a source and puts them
 * back (derived source), by the face fields' paths.
 *
 * <p>A face with vectors kept out of {@code _source} is an object without {@code embedding} and
 * {@code patches}; a face given as a bare embedding array is kept as an empty object, so that every
 * face still has a place in the source to be put back into.
 */
public final class FaceSource {

  /** The keys of a face object that hold derived features. */
  public static final List<String> VECTOR_KEYS = List.of("embedding", "patches");

  /**
   * The thread-context header that asks for the vectors back in {@code _source}. Only the plugin's
   * action filter sets it (for reindex, update by query and update); REST requests cannot, since
   * only headers a plugin registers are copied from HTTP.
   */
  public static final String DERIVE_HEADER = "_face_search_vectors_in_source";

  private FaceSource() {}

  /**
   * Removes the vectors of the faces at {@code paths} from {@code source}; returns the source bytes
   * unchanged (same instance) when there were none.
   */
  public static BytesReference strip(BytesReference source, List<String> paths) throws IOException {
    if (paths.isEmpty() || source == null) {
      return source;
    }
    Tuple<XContentType, Map<String, Object>> parsed = XContentHelper.convertToMap(source, true);
    Map<String, Object> map = parsed.v2();
    boolean changed = false;
    for (String path : paths) {
      changed |= stripAt(map, path.split("\\."), 0);
    }
    return changed ? write(parsed.v1(), map) : source;
  }

  /**
   * Removes the vectors of the faces at {@code paths} from a parsed source; true when something was
   * removed.
   */
  public static boolean strip(Map<String, Object> source, List<String> paths) {
    boolean changed = false;
    for (String path : paths) {
      changed |= stripAt(source, path.split("\\."), 0);
    }
    return changed;
  }

  @SuppressWarnings("unchecked")
  private static boolean stripAt(Object node, String[] path, int depth) {
    if (node instanceof List<?> list) {
      boolean changed = false;
      for (Object item : list) {
        changed |= stripAt(item, path, depth);
      }
      return changed;
    }
    if (!(node instanceof Map<?, ?>)) {
      return false;
    }
    Map<String, Object> map = (Map<String, Object>) node;
    Object child = map.get(path[depth]);
    if (child == null) {
      return false;
    }
    if (depth < path.length - 1) {
      return stripAt(child, path, depth + 1);
    }
    if (child instanceof Map<?, ?> face) {
      boolean changed = false;
      for (String key : VECTOR_KEYS) {
        changed |= face.remove(key) != null;
      }
      return changed;
    }
    if (child instanceof List<?>) {
      // A bare embedding array: keep an empty face object in its place.
      map.put(path[depth], new LinkedHashMap<String, Object>());
      return true;
    }
    return false;
  }

  /**
   * The face objects at {@code path} of a parsed source, in document order (arrays depth first).
   */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> facesAt(Map<String, Object> source, String path) {
    List<Map<String, Object>> out = new ArrayList<>();
    collect(source, path.split("\\."), 0, out);
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void collect(
      Object node, String[] path, int depth, List<Map<String, Object>> out) {
    if (node instanceof List<?> list) {
      for (Object item : list) {
        collect(item, path, depth, out);
      }
      return;
    }
    if (!(node instanceof Map<?, ?>)) {
      return;
    }
    Object child = ((Map<String, Object>) node).get(path[depth]);
    if (child == null) {
      return;
    }
    if (depth < path.length - 1) {
      collect(child, path, depth + 1, out);
    } else if (child instanceof Map<?, ?> face) {
      out.add((Map<String, Object>) face);
    } else if (child instanceof List<?> list) {
      for (Object item : list) {
        if (item instanceof Map<?, ?> face) {
          out.add((Map<String, Object>) face);
        }
      }
    }
  }

  static BytesReference write(XContentType type, Map<String, Object> map) throws IOException {
    try (XContentBuilder builder = XContentBuilder.builder(type.xContent())) {
      builder.map(map);
      return BytesReference.bytes(builder);
    }
  }
}
