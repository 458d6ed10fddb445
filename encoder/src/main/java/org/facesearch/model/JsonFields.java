package org.facesearch.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed, path-aware access to one JSON object of a descriptor. Every accessor names the full key
 * (e.g. {@code feature.patch_grid}) in its error, and {@link #done()} refuses keys nobody read, so
 * a typo in a descriptor is an error instead of a silently ignored setting.
 */
final class JsonFields {
  private final String path;
  private final Map<String, Object> map;
  private final Set<String> read = new HashSet<>();

  JsonFields(String path, Object value) {
    this.path = path;
    if (!(value instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(
          (path.isEmpty() ? "the descriptor" : "[" + path + "]") + " must be a JSON object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> typed = (Map<String, Object>) m;
    this.map = typed;
  }

  private String key(String k) {
    return path.isEmpty() ? k : path + "." + k;
  }

  boolean has(String k) {
    return map.get(k) != null;
  }

  private Object required(String k) {
    read.add(k);
    Object v = map.get(k);
    if (v == null) {
      throw new IllegalArgumentException("[" + key(k) + "] is required");
    }
    return v;
  }

  String string(String k) {
    Object v = required(k);
    if (!(v instanceof String s) || s.isEmpty()) {
      throw new IllegalArgumentException("[" + key(k) + "] must be a non-empty string, got " + v);
    }
    return s;
  }

  String optionalString(String k) {
    read.add(k);
    return map.get(k) == null ? null : string(k);
  }

  String oneOf(String k, String... allowed) {
    String s = string(k);
    for (String a : allowed) {
      if (a.equals(s)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "[" + key(k) + "] must be one of " + List.of(allowed) + ", got [" + s + "]");
  }

  double number(String k) {
    Object v = required(k);
    if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      throw new IllegalArgumentException("[" + key(k) + "] must be a number, got " + v);
    }
    return n.doubleValue();
  }

  double number(String k, double min, double max) {
    double d = number(k);
    if (d < min || d > max) {
      throw new IllegalArgumentException(
          "[" + key(k) + "] must be in [" + min + ", " + max + "], got " + d);
    }
    return d;
  }

  Double optionalNumber(String k, double min, double max) {
    read.add(k);
    return map.get(k) == null ? null : number(k, min, max);
  }

  int integer(String k, int min, int max) {
    Object v = required(k);
    if (!(v instanceof Long n) || n < min || n > max) {
      throw new IllegalArgumentException(
          "[" + key(k) + "] must be an integer in [" + min + ", " + max + "], got " + v);
    }
    return n.intValue();
  }

  boolean bool(String k) {
    Object v = required(k);
    if (!(v instanceof Boolean b)) {
      throw new IllegalArgumentException("[" + key(k) + "] must be true or false, got " + v);
    }
    return b;
  }

  List<Object> list(String k) {
    Object v = required(k);
    if (!(v instanceof List<?> l)) {
      throw new IllegalArgumentException("[" + key(k) + "] must be an array, got " + v);
    }
    return new ArrayList<>(l);
  }

  /**
   * A number array of exactly {@code length} entries ({@code length} &lt; 0: any length &gt; 0).
   */
  float[] floats(String k, int length) {
    List<Object> l = list(k);
    if (length >= 0 ? l.size() != length : l.isEmpty()) {
      throw new IllegalArgumentException(
          "["
              + key(k)
              + "] must have "
              + (length >= 0 ? length : "at least 1")
              + " numbers, got "
              + l.size());
    }
    float[] out = new float[l.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(l.get(i) instanceof Number n) || !Double.isFinite(n.doubleValue())) {
        throw new IllegalArgumentException(
            "[" + key(k) + "][" + i + "] must be a number, got " + l.get(i));
      }
      out[i] = n.floatValue();
    }
    return out;
  }

  /** A number, or an array of {@code channels} numbers, as {@code channels} values. */
  float[] perChannel(String k, int channels) {
    Object v = map.get(k);
    if (v instanceof Number) {
      float[] out = new float[channels];
      java.util.Arrays.fill(out, (float) number(k));
      return out;
    }
    return floats(k, channels);
  }

  int[] ints(String k, int length, int min, int max) {
    List<Object> l = list(k);
    if (length >= 0 ? l.size() != length : l.isEmpty()) {
      throw new IllegalArgumentException(
          "["
              + key(k)
              + "] must have "
              + (length >= 0 ? length : "at least 1")
              + " integers, got "
              + l.size());
    }
    int[] out = new int[l.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(l.get(i) instanceof Long n) || n < min || n > max) {
        throw new IllegalArgumentException(
            "["
                + key(k)
                + "]["
                + i
                + "] must be an integer in ["
                + min
                + ", "
                + max
                + "], got "
                + l.get(i));
      }
      out[i] = n.intValue();
    }
    return out;
  }

  JsonFields object(String k) {
    return new JsonFields(key(k), required(k));
  }

  JsonFields optionalObject(String k) {
    read.add(k);
    return map.get(k) == null ? null : object(k);
  }

  Set<String> keys() {
    return map.keySet();
  }

  String pathOf(String k) {
    return key(k);
  }

  /** Refuses keys that no accessor asked for. */
  void done() {
    for (String k : map.keySet()) {
      if (!read.contains(k)) {
        throw new IllegalArgumentException("unknown key [" + key(k) + "]");
      }
    }
  }

  /** Marks a key as read without reading it (for keys handled elsewhere). */
  void consumed(String k) {
    read.add(k);
  }
}
