package org.facesearch.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.Closeable;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The three ONNX Runtime sessions of a model pack, checked against the pack's descriptor.
 *
 * <p>Each session runs with one intra-op and one inter-op thread: on small machines ONNX Runtime's
 * own threading made every stage slower (docs/results/performance.md has the figures), so
 * parallelism comes from running independent faces on several threads instead. {@link
 * OrtSession#run} is thread-safe, so one set of sessions serves all of them.
 *
 * <p>Opening checks, and refuses with a {@link ModelPackException} naming the mismatch: the input
 * and output names and fixed sizes the session reports, and then what one run on a blank input
 * really produces (the patch tensor's [1, C, H, W], the embedding size, the landmark count). When
 * the descriptor says the feature model is batchable, two faces run in one call must give the same
 * numbers as two single calls.
 */
public final class ModelSessions implements Closeable {
  private final PackDescriptor descriptor;
  private final Device device;
  private final OrtEnvironment env;
  private final OrtSession detector;
  private final OrtSession landmarks;
  private final OrtSession feature;

  private ModelSessions(
      PackDescriptor descriptor,
      Device device,
      OrtEnvironment env,
      OrtSession detector,
      OrtSession landmarks,
      OrtSession feature) {
    this.descriptor = descriptor;
    this.device = device;
    this.env = env;
    this.detector = detector;
    this.landmarks = landmarks;
    this.feature = feature;
  }

  /**
   * Creates and verifies the sessions for {@code pack} on {@code device}.
   *
   * @throws ModelPackException when a file does not match its descriptor
   * @throws IllegalStateException when {@code device} is CUDA and ONNX Runtime's CUDA provider is
   *     not available (never falls back to the CPU)
   */
  public static ModelSessions open(ModelPack pack, Device device) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    PackDescriptor d = pack.descriptor();
    OrtSession det = null;
    OrtSession lm = null;
    OrtSession feat = null;
    try {
      det = create(env, pack, d.detector().file(), pack.readVerified(d.detector().file()), device);
      lm = create(env, pack, d.landmarks().file(), pack.readVerified(d.landmarks().file()), device);
      byte[] featureModel;
      try {
        featureModel =
            OnnxGraphEditor.edit(
                pack.readVerified(d.feature().file()),
                List.of(d.feature().patchTensor()),
                d.feature().batchable());
      } catch (IllegalArgumentException e) {
        throw new ModelPackException(
            "model pack ["
                + pack.name()
                + "]: cannot expose feature.patch_tensor ["
                + d.feature().patchTensor()
                + "] of "
                + d.feature().file()
                + ": "
                + e.getMessage(),
            e);
      }
      feat = create(env, pack, d.feature().file(), featureModel, device);
      ModelSessions sessions = new ModelSessions(d, device, env, det, lm, feat);
      sessions.verify(pack.name());
      return sessions;
    } catch (RuntimeException e) {
      closeQuietly(det, e);
      closeQuietly(lm, e);
      closeQuietly(feat, e);
      throw e;
    }
  }

  private static OrtSession create(
      OrtEnvironment env, ModelPack pack, String file, byte[] model, Device device) {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      if (device == Device.CUDA) {
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
          throw new IllegalStateException(
              "inference device [cuda] was requested, but this ONNX Runtime build has no CUDA provider (available: "
                  + OrtEnvironment.getAvailableProviders()
                  + "); install the plugin built with -Pcuda (onnxruntime_gpu) or use device [cpu]");
        }
        try {
          options.addCUDA(0);
        } catch (OrtException e) {
          throw new IllegalStateException(
              "inference device [cuda] was requested, but ONNX Runtime could not start its CUDA provider on GPU 0: "
                  + e.getMessage()
                  + " (check the NVIDIA driver, CUDA and cuDNN libraries, or use device [cpu])",
              e);
        }
      }
      return env.createSession(model, options);
    } catch (OrtException e) {
      throw new ModelPackException(
          "model pack ["
              + pack.name()
              + "]: ONNX Runtime cannot load "
              + file
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private void verify(String pack) {
    PackDescriptor.Detector det = descriptor.detector();
    PackDescriptor.Landmarks lm = descriptor.landmarks();
    PackDescriptor.Feature f = descriptor.feature();
    String where = "model pack [" + pack + "]: ";
    try {
      checkInput(
          where,
          det.file(),
          detector,
          det.input(),
          new long[] {1, 3, det.inputHeight(), det.inputWidth()},
          "detector");
      checkOutputs(where, det.file(), detector, det.scoresOutput(), det.boxesOutput());
      checkInput(
          where,
          lm.file(),
          landmarks,
          lm.input(),
          new long[] {1, 1, lm.inputSize(), lm.inputSize()},
          "landmarks");
      checkOutputs(where, lm.file(), landmarks, lm.output());
      checkInput(
          where,
          f.file(),
          feature,
          f.input(),
          new long[] {1, 3, f.inputSize(), f.inputSize()},
          "feature");
      checkOutputs(where, f.file(), feature, f.embeddingOutput(), f.patchTensor());

      // What the models really produce, from one run on a blank input.
      try (OrtSession.Result r =
          run(
              detector,
              det.input(),
              new float[3 * det.inputHeight() * det.inputWidth()],
              new long[] {1, 3, det.inputHeight(), det.inputWidth()})) {
        long[] scores = shape(r, det.scoresOutput());
        long[] boxes = shape(r, det.boxesOutput());
        if (scores.length != 3 || scores[0] != 1 || scores[2] <= det.faceClass()) {
          throw new ModelPackException(
              where
                  + det.file()
                  + " output ["
                  + det.scoresOutput()
                  + "] has shape "
                  + Arrays.toString(scores)
                  + ", expected [1, N, K] with K > detector.face_class ("
                  + det.faceClass()
                  + ")");
        }
        if (boxes.length != 3 || boxes[0] != 1 || boxes[1] != scores[1] || boxes[2] != 4) {
          throw new ModelPackException(
              where
                  + det.file()
                  + " output ["
                  + det.boxesOutput()
                  + "] has shape "
                  + Arrays.toString(boxes)
                  + ", expected [1, "
                  + scores[1]
                  + ", 4]");
        }
      }
      try (OrtSession.Result r =
          run(
              landmarks,
              lm.input(),
              new float[lm.inputSize() * lm.inputSize()],
              new long[] {1, 1, lm.inputSize(), lm.inputSize()})) {
        long n = elements(shape(r, lm.output()));
        if (n != 2L * lm.points()) {
          throw new ModelPackException(
              where
                  + lm.file()
                  + " output ["
                  + lm.output()
                  + "] has "
                  + n
                  + " values, but landmarks.points = "
                  + lm.points()
                  + " needs "
                  + (2 * lm.points()));
        }
      }
      int faceSize = 3 * f.inputSize() * f.inputSize();
      long[] patchShape = {1, f.patchDims(), f.gridH(), f.gridW()};
      try (OrtSession.Result r =
          run(
              feature,
              f.input(),
              new float[faceSize],
              new long[] {1, 3, f.inputSize(), f.inputSize()})) {
        long n = elements(shape(r, f.embeddingOutput()));
        if (n != f.embeddingDims()) {
          throw new ModelPackException(
              where
                  + f.file()
                  + " output ["
                  + f.embeddingOutput()
                  + "] has "
                  + n
                  + " values, but feature.embedding_dims is "
                  + f.embeddingDims());
        }
        long[] patches = shape(r, f.patchTensor());
        if (!Arrays.equals(patches, patchShape)) {
          throw new ModelPackException(
              where
                  + f.file()
                  + " tensor ["
                  + f.patchTensor()
                  + "] has shape "
                  + Arrays.toString(patches)
                  + ", but feature.patch_dims and patch_grid say "
                  + Arrays.toString(patchShape));
        }
      }
      if (f.batchable()) {
        verifyBatching(where, f, faceSize);
      }
    } catch (OrtException e) {
      throw new ModelPackException(
          where + "running the models on a blank input failed: " + e.getMessage(), e);
    }
  }

  /** Two random faces in one call must reproduce two single calls. */
  private void verifyBatching(String where, PackDescriptor.Feature f, int faceSize)
      throws OrtException {
    Random random = new Random(42);
    float[] both = new float[2 * faceSize];
    for (int i = 0; i < both.length; i++) {
      both[i] = random.nextFloat() * 2 - 1;
    }
    float[][] singleEmb = new float[2][];
    float[][] singlePatch = new float[2][];
    for (int i = 0; i < 2; i++) {
      try (OrtSession.Result r =
          run(
              feature,
              f.input(),
              Arrays.copyOfRange(both, i * faceSize, (i + 1) * faceSize),
              new long[] {1, 3, f.inputSize(), f.inputSize()})) {
        singleEmb[i] = floats(r, f.embeddingOutput());
        singlePatch[i] = floats(r, f.patchTensor());
      }
    }
    try (OrtSession.Result r =
        run(feature, f.input(), both, new long[] {2, 3, f.inputSize(), f.inputSize()})) {
      float[] emb = floats(r, f.embeddingOutput());
      float[] patch = floats(r, f.patchTensor());
      double worst = 0;
      if (emb.length != 2 * f.embeddingDims() || patch.length != 2 * singlePatch[0].length) {
        worst = Double.POSITIVE_INFINITY;
      } else {
        for (int i = 0; i < 2; i++) {
          worst = Math.max(worst, maxDiff(emb, i * f.embeddingDims(), singleEmb[i]));
          worst = Math.max(worst, maxDiff(patch, i * singlePatch[i].length, singlePatch[i]));
        }
      }
      if (!(worst <= 1e-3)) {
        throw new ModelPackException(
            where
                + "feature.batchable is true, but running 2 faces in one call of "
                + f.file()
                + " does not reproduce 2 single calls (output sizes "
                + emb.length
                + " and "
                + patch.length
                + ", largest difference "
                + worst
                + "); set batchable to false for this model");
      }
    }
  }

  private static double maxDiff(float[] batch, int offset, float[] single) {
    double worst = 0;
    for (int i = 0; i < single.length; i++) {
      worst = Math.max(worst, Math.abs(batch[offset + i] - single[i]));
    }
    return worst;
  }

  private static void checkInput(
      String where, String file, OrtSession s, String name, long[] expected, String section)
      throws OrtException {
    Map<String, NodeInfo> inputs = s.getInputInfo();
    NodeInfo info = inputs.get(name);
    if (info == null) {
      throw new ModelPackException(
          where
              + file
              + " has no input ["
              + name
              + "] ("
              + section
              + ".input); its inputs are "
              + inputs.keySet());
    }
    if (inputs.size() != 1) {
      throw new ModelPackException(
          where
              + file
              + " takes "
              + inputs.size()
              + " inputs "
              + inputs.keySet()
              + "; face-search feeds exactly one");
    }
    if (!(info.getInfo() instanceof TensorInfo t)) {
      throw new ModelPackException(where + file + " input [" + name + "] is not a tensor");
    }
    long[] shape = t.getShape();
    boolean ok = shape.length == expected.length;
    for (int i = 0; ok && i < shape.length; i++) {
      ok = shape[i] < 0 || shape[i] == expected[i]; // negative: a dynamic dimension
    }
    if (!ok) {
      throw new ModelPackException(
          where
              + file
              + " input ["
              + name
              + "] has shape "
              + Arrays.toString(shape)
              + ", but the descriptor's "
              + section
              + " section implies "
              + Arrays.toString(expected));
    }
  }

  private static void checkOutputs(String where, String file, OrtSession s, String... names)
      throws OrtException {
    Set<String> outputs = s.getOutputNames();
    for (String n : names) {
      if (!outputs.contains(n)) {
        throw new ModelPackException(
            where + file + " has no output [" + n + "]; its outputs are " + outputs);
      }
    }
  }

  private OrtSession.Result run(OrtSession session, String input, float[] data, long[] shape)
      throws OrtException {
    try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape)) {
      return session.run(Map.of(input, t));
    }
  }

  private static OnnxTensor tensor(OrtSession.Result r, String name) {
    OnnxValue v =
        r.get(name)
            .orElseThrow(() -> new ModelPackException("the model returned no [" + name + "]"));
    if (!(v instanceof OnnxTensor t)) {
      throw new ModelPackException("output [" + name + "] is not a tensor");
    }
    return t;
  }

  private static long[] shape(OrtSession.Result r, String name) {
    return tensor(r, name).getInfo().getShape();
  }

  private static float[] floats(OrtSession.Result r, String name) {
    tensor(r, name); // a missing output is the pack's fault here: ModelPackException
    return ModelIO.floats(r, name);
  }

  private static long elements(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  private static void closeQuietly(OrtSession s, RuntimeException primary) {
    if (s != null) {
      try {
        s.close();
      } catch (OrtException e) {
        primary.addSuppressed(e);
      }
    }
  }

  /** The descriptor these sessions were checked against. */
  public PackDescriptor descriptor() {
    return descriptor;
  }

  /** Where the sessions run. */
  public Device device() {
    return device;
  }

  /** The process-wide ONNX Runtime environment (tensors are created against it). */
  public OrtEnvironment environment() {
    return env;
  }

  /** The face detector. */
  public OrtSession detector() {
    return detector;
  }

  /** The landmark model. */
  public OrtSession landmarks() {
    return landmarks;
  }

  /**
   * The feature model, with the patch tensor as an extra output (and a symbolic batch if
   * batchable).
   */
  public OrtSession feature() {
    return feature;
  }

  @Override
  public void close() {
    RuntimeException failure = null;
    for (OrtSession s : new OrtSession[] {detector, landmarks, feature}) {
      try {
        s.close();
      } catch (OrtException e) {
        if (failure == null) {
          failure = new IllegalStateException("closing an ONNX Runtime session failed", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
