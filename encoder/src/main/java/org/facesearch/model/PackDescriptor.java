package org.facesearch.model;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.facesearch.vectors.UnitVectors;
import org.facesearch.verification.VerificationCalibration;

/**
 * The parsed {@code pack.json} of a model pack: what the files are, their SHA-256 sums, and every
 * number the pipeline needs to feed and read the three models (detector, landmarks, feature). The
 * pipeline code has no model constants of its own; a pack with other sizes, normalisations or
 * tensor names works by describing them here. See docs/encoder.md for the format.
 *
 * <p>Arrays returned by the accessors are the descriptor's own: callers must not modify them.
 */
public final class PackDescriptor {
  /** The descriptor format this code reads. */
  public static final int FORMAT = 1;

  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private final String name;
  private final String version;
  private final String description;
  private final String source;
  private final String license;
  private final Map<String, String> sha256;
  private final Detector detector;
  private final Landmarks landmarks;
  private final Feature feature;
  private final Recognizability recognizability;
  private final VerificationCalibration verification;

  /**
   * Detector model: input {@code [1, 3, inputHeight, inputWidth]} normalised as {@code (x -
   * mean[c]) * scale[c]}; outputs {@code scores [1, N, K]} (column {@code faceClass} is the face
   * probability) and {@code boxes [1, N, 4]}, corner-form x1, y1, x2, y2 in 0..1 of the input
   * ({@code box_format: corners_normalized}, already decoded in the graph).
   */
  public record Detector(
      String file,
      String input,
      int inputWidth,
      int inputHeight,
      boolean bgr,
      float[] mean,
      float[] scale,
      String scoresOutput,
      int faceClass,
      String boxesOutput,
      float scoreThreshold,
      float nmsIou) {}

  /**
   * Landmark model: the detection box squared by its height (no margin), resized to {@code
   * inputSize}, grey {@code = w . rgb}, normalised as {@code (grey - mean) * scale}, input {@code
   * [1, 1, inputSize, inputSize]}; output {@code 2 * points} values, (x, y) pairs in 0..1 of the
   * crop. {@code fivePoints} lists, for left eye, right eye, nose, left and right mouth corner, the
   * landmark indices averaged into that point.
   */
  public record Landmarks(
      String file,
      String input,
      int inputSize,
      float[] greyWeights,
      float mean,
      float scale,
      String output,
      int points,
      int[][] fivePoints) {}

  /**
   * Feature model: the face warped onto {@code alignmentTemplate} (5 points x, y in input pixels)
   * at {@code inputSize x inputSize}, normalised as {@code (x - mean[c]) * scale[c]}, NCHW. The
   * {@code embeddingOutput} has {@code embeddingDims} values per face (L2-normalised by the
   * pipeline); {@code patchTensor} is the {@code [1, patchDims, gridH, gridW]} feature map before
   * global pooling, added as a graph output at load time. {@code batchable}: several faces may
   * share one call (verified when the pack is opened).
   */
  public record Feature(
      String file,
      String input,
      int inputSize,
      boolean bgr,
      float[] mean,
      float[] scale,
      float[] alignmentTemplate,
      String embeddingOutput,
      int embeddingDims,
      String patchTensor,
      int gridH,
      int gridW,
      int patchDims,
      boolean batchable) {}

  /**
   * Optional recognizability calibration: the unrecognizable-identity centroid (unit length, {@code
   * embeddingDims} values) and the ERS threshold, each with a free-text note saying where it came
   * from. Either may be null.
   */
  public record Recognizability(
      float[] uiCentroid,
      String uiCentroidSource,
      Double ersThreshold,
      String ersThresholdSource) {}

  private PackDescriptor(JsonFields root) {
    int format = root.integer("format", 1, Integer.MAX_VALUE);
    if (format != FORMAT) {
      throw new IllegalArgumentException(
          "[format] is " + format + " but this version of face-search reads format " + FORMAT);
    }
    name = root.string("name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("[name] must match " + NAME + ", got [" + name + "]");
    }
    version = root.string("version");
    description = root.optionalString("description");
    source = root.optionalString("source");
    license = root.optionalString("license");

    JsonFields files = root.object("files");
    Map<String, String> sums = new LinkedHashMap<>();
    for (String file : files.keys()) {
      if (!NAME.matcher(file).matches()) {
        throw new IllegalArgumentException(
            "[" + files.pathOf(file) + "]: a file must be a plain name inside the pack folder");
      }
      JsonFields entry = files.object(file);
      String sum = entry.string("sha256");
      if (!SHA256.matcher(sum).matches()) {
        throw new IllegalArgumentException(
            "[" + entry.pathOf("sha256") + "] must be 64 lower-case hex digits, got [" + sum + "]");
      }
      entry.done();
      sums.put(file, sum);
    }
    files.done();
    if (sums.isEmpty()) {
      throw new IllegalArgumentException("[files] lists no files");
    }
    sha256 = Collections.unmodifiableMap(sums);

    detector = parseDetector(root.object("detector"));
    landmarks = parseLandmarks(root.object("landmarks"));
    feature = parseFeature(root.object("feature"));
    JsonFields r = root.optionalObject("recognizability");
    recognizability = r == null ? null : parseRecognizability(r, feature.embeddingDims());
    JsonFields v = root.optionalObject("verification");
    verification = v == null ? null : parseVerification(v);
    root.done();
  }

  private String listedFile(JsonFields f) {
    String file = f.string("file");
    if (!sha256.containsKey(file)) {
      throw new IllegalArgumentException(
          "[" + f.pathOf("file") + "] is [" + file + "], which [files] does not list");
    }
    return file;
  }

  private Detector parseDetector(JsonFields d) {
    Detector out =
        new Detector(
            listedFile(d),
            d.string("input"),
            d.integer("input_width", 1, 8192),
            d.integer("input_height", 1, 8192),
            d.oneOf("channel_order", "rgb", "bgr").equals("bgr"),
            d.perChannel("mean", 3),
            d.perChannel("scale", 3),
            d.string("scores_output"),
            d.integer("face_class", 0, 1024),
            d.string("boxes_output"),
            (float) d.number("score_threshold", 0, 1),
            (float) d.number("nms_iou", 0, 1));
    d.oneOf("box_format", "corners_normalized");
    d.done();
    return out;
  }

  private Landmarks parseLandmarks(JsonFields l) {
    String file = listedFile(l);
    String input = l.string("input");
    int size = l.integer("input_size", 1, 4096);
    l.oneOf("crop", "box_height_square");
    float[] grey = l.floats("grey_weights", 3);
    float mean = (float) l.number("mean");
    float scale = (float) l.number("scale");
    String output = l.string("output");
    int points = l.integer("points", 1, 10_000);
    List<Object> groups = l.list("five_points");
    if (groups.size() != 5) {
      throw new IllegalArgumentException(
          "["
              + l.pathOf("five_points")
              + "] must list 5 groups (left eye, right eye, nose, left and right mouth corner), got "
              + groups.size());
    }
    int[][] five = new int[5][];
    for (int i = 0; i < 5; i++) {
      if (!(groups.get(i) instanceof List<?> g) || g.isEmpty()) {
        throw new IllegalArgumentException(
            "["
                + l.pathOf("five_points")
                + "]["
                + i
                + "] must be a non-empty array of landmark indices");
      }
      five[i] = new int[g.size()];
      for (int j = 0; j < g.size(); j++) {
        if (!(g.get(j) instanceof Long n) || n < 0 || n >= points) {
          throw new IllegalArgumentException(
              "["
                  + l.pathOf("five_points")
                  + "]["
                  + i
                  + "]["
                  + j
                  + "] must be a landmark index in [0, "
                  + points
                  + "), got "
                  + g.get(j));
        }
        five[i][j] = n.intValue();
      }
    }
    l.done();
    return new Landmarks(file, input, size, grey, mean, scale, output, points, five);
  }

  private Feature parseFeature(JsonFields f) {
    String file = listedFile(f);
    String input = f.string("input");
    int size = f.integer("input_size", 1, 4096);
    boolean bgr = f.oneOf("channel_order", "rgb", "bgr").equals("bgr");
    float[] mean = f.perChannel("mean", 3);
    float[] scale = f.perChannel("scale", 3);
    List<Object> points = f.list("alignment_template");
    if (points.size() != 5) {
      throw new IllegalArgumentException(
          "["
              + f.pathOf("alignment_template")
              + "] must hold 5 [x, y] points, got "
              + points.size());
    }
    float[] template = new float[10];
    for (int i = 0; i < 5; i++) {
      if (!(points.get(i) instanceof List<?> p)
          || p.size() != 2
          || !(p.get(0) instanceof Number x)
          || !(p.get(1) instanceof Number y)) {
        throw new IllegalArgumentException(
            "["
                + f.pathOf("alignment_template")
                + "]["
                + i
                + "] must be an [x, y] pair of numbers");
      }
      template[2 * i] = x.floatValue();
      template[2 * i + 1] = y.floatValue();
    }
    String embedding = f.string("embedding_output");
    int dims = f.integer("embedding_dims", 1, 65536);
    f.oneOf("normalisation", "l2");
    String patch = f.string("patch_tensor");
    int[] grid = f.ints("patch_grid", 2, 1, 1024);
    int patchDims = f.integer("patch_dims", 1, 65536);
    boolean batchable = f.bool("batchable");
    f.done();
    return new Feature(
        file, input, size, bgr, mean, scale, template, embedding, dims, patch, grid[0], grid[1],
        patchDims, batchable);
  }

  private static Recognizability parseRecognizability(JsonFields r, int dims) {
    float[] centroid = null;
    if (r.has("ui_centroid")) {
      centroid = r.floats("ui_centroid", dims);
      // Stored rounded to a few digits; make it unit length so ERS stays within [0, 1].
      if (!(UnitVectors.normalise(centroid) > 1e-6)) {
        throw new IllegalArgumentException("[" + r.pathOf("ui_centroid") + "] is a zero vector");
      }
    } else {
      r.consumed("ui_centroid");
    }
    String centroidSource = r.optionalString("ui_centroid_source");
    Double threshold = r.optionalNumber("ers_threshold", 0, 1);
    String thresholdSource = r.optionalString("ers_threshold_source");
    if (centroid != null && centroidSource == null) {
      throw new IllegalArgumentException(
          "["
              + r.pathOf("ui_centroid_source")
              + "] is required with a ui_centroid: say where it came from");
    }
    if (threshold != null && thresholdSource == null) {
      throw new IllegalArgumentException(
          "["
              + r.pathOf("ers_threshold_source")
              + "] is required with an ers_threshold: say how it was calibrated");
    }
    r.done();
    return new Recognizability(centroid, centroidSource, threshold, thresholdSource);
  }

  /**
   * The optional verification calibration: {@code points}, a list of {@code {"fmr", "threshold",
   * "fnmr"}} objects by false-match rate, largest first, and {@code source}, how they were
   * measured.
   */
  private static VerificationCalibration parseVerification(JsonFields v) {
    List<Object> list = v.list("points");
    List<VerificationCalibration.Point> points = new java.util.ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonFields p = new JsonFields(v.pathOf("points") + "[" + i + "]", list.get(i));
      points.add(
          new VerificationCalibration.Point(
              p.number("fmr"), p.number("threshold"), p.number("fnmr")));
      p.done();
    }
    String source = v.string("source");
    v.done();
    try {
      return new VerificationCalibration(points, source);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("[" + v.pathOf("points") + "]: " + e.getMessage(), e);
    }
  }

  /**
   * Parses a descriptor.
   *
   * @throws IllegalArgumentException naming the offending key when the JSON is malformed, a key is
   *     missing, unknown, of the wrong type or out of range
   */
  public static PackDescriptor parse(byte[] json) {
    Object tree;
    try {
      tree = JsonTree.parse(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
    }
    return new PackDescriptor(new JsonFields("", tree));
  }

  /**
   * Parses a recognizability calibration given on its own (a JSON object with the keys of a
   * descriptor's {@code recognizability} block), as the node reads it from {@code
   * config/face-search/recognizability/<model>.json} to replace a pack's calibration.
   *
   * @param dims the model's embedding dimensions, which {@code ui_centroid} must have
   * @throws IllegalArgumentException naming the offending key, as {@link #parse}
   */
  public static Recognizability parseRecognizability(byte[] json, int dims) {
    Object tree;
    try {
      tree = JsonTree.parse(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
    }
    return parseRecognizability(new JsonFields("", tree), dims);
  }

  /** The pack's name (its folder name). */
  public String name() {
    return name;
  }

  /** The pack's version, free text. */
  public String version() {
    return version;
  }

  /** Human description, or null. */
  public String description() {
    return description;
  }

  /** Where the files came from, or null. */
  public String source() {
    return source;
  }

  /** The models' license, or null. */
  public String license() {
    return license;
  }

  /** File name to expected SHA-256 (lower-case hex), in descriptor order. */
  public Map<String, String> sha256() {
    return sha256;
  }

  /** Detector parameters. */
  public Detector detector() {
    return detector;
  }

  /** Landmark model parameters. */
  public Landmarks landmarks() {
    return landmarks;
  }

  /** Feature (embedding) model parameters. */
  public Feature feature() {
    return feature;
  }

  /** Recognizability calibration, or null when the pack has none. */
  public Recognizability recognizability() {
    return recognizability;
  }

  /**
   * Verification calibration (cosine thresholds at false-match rates), or null when the pack has
   * none.
   */
  public VerificationCalibration verification() {
    return verification;
  }
}
