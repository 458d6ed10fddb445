package org.facesearch.model;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.facesearch.option.EnumOption;
import org.facesearch.testing.TestData;
import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ModelSessionsTests {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void featureSessionExposesThePatchMapAsAnOutput() throws Exception {
    ModelPack pack = TestData.defaultPack();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    // The model as shipped: one output, no patch map.
    try (OrtSession original =
        env.createSession(pack.readVerified("fr_feature.onnx"), new OrtSession.SessionOptions())) {
      assertEquals(List.of("output"), List.copyOf(original.getOutputNames()));
    }
    try (ModelSessions sessions = ModelSessions.open(pack, Device.CPU)) {
      OrtSession feature = sessions.feature();
      assertTrue(feature.getOutputNames().contains("507"));
      TensorInfo declared = (TensorInfo) feature.getOutputInfo().get("507").getInfo();
      assertArrayEquals(
          "batch is symbolic after the rewrite", new long[] {-1, 512, 7, 7}, declared.getShape());
      float[] input = new float[3 * 112 * 112];
      for (int i = 0; i < input.length; i++) {
        input[i] = (float) Math.sin(i * 0.01);
      }
      try (OnnxTensor t =
              OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {1, 3, 112, 112});
          OrtSession.Result r = feature.run(Map.of("input", t))) {
        OnnxTensor map = (OnnxTensor) r.get("507").orElseThrow();
        assertArrayEquals(new long[] {1, 512, 7, 7}, map.getInfo().getShape());
        OnnxTensor embedding = (OnnxTensor) r.get("output").orElseThrow();
        assertEquals(512, embedding.getInfo().getNumElements());
      }
    }
  }

  private ModelPackException assertOpenRefused(UnaryOperator<String> edit, String message)
      throws IOException {
    Path root = tmp.newFolder().toPath();
    PackFixtures.copy(root, "custom", edit);
    ModelPack pack = ModelPack.load(root, "custom");
    try (ModelSessions s = ModelSessions.open(pack, Device.CPU)) {
      throw new AssertionError(
          "opened a pack whose descriptor does not match its models: expected "
              + message
              + " ("
              + s.device()
              + ")");
    } catch (ModelPackException e) {
      assertThat(e.getMessage(), containsString(message));
      return e;
    }
  }

  @Test
  public void refusesAPatchGridTheModelDoesNotHave() throws IOException {
    assertOpenRefused(
        j -> PackFixtures.replace(j, "\"patch_grid\": [7, 7]", "\"patch_grid\": [4, 4]"),
        "model pack [custom]: fr_feature.onnx tensor [507] has shape [1, 512, 7, 7], but feature.patch_dims and patch_grid say [1, 512, 4, 4]");
  }

  @Test
  public void refusesAnInputSizeTheModelDoesNotTake() throws IOException {
    assertOpenRefused(
        j -> PackFixtures.replace(j, "\"input_size\": 112", "\"input_size\": 128"),
        "fr_feature.onnx input [input] has shape [-1, 3, 112, 112], but the descriptor's feature section implies [1, 3, 128, 128]");
    assertOpenRefused(
        j -> PackFixtures.replace(j, "\"input_width\": 320", "\"input_width\": 300"),
        "fr_detect.onnx input [input] has shape [1, 3, 240, 320], but the descriptor's detector section implies [1, 3, 240, 300]");
  }

  @Test
  public void refusesWrongOutputNamesAndSizes() throws IOException {
    assertOpenRefused(
        j ->
            PackFixtures.replace(
                j, "\"scores_output\": \"scores\"", "\"scores_output\": \"score\""),
        "fr_detect.onnx has no output [score]; its outputs are");
    // The shipped 512-value UI centroid would be refused first for 256 dims: drop the calibration.
    assertOpenRefused(
        j ->
            withoutRecognizability(
                PackFixtures.replace(j, "\"embedding_dims\": 512", "\"embedding_dims\": 256")),
        "fr_feature.onnx output [output] has 512 values, but feature.embedding_dims is 256");
    assertOpenRefused(
        j -> PackFixtures.replace(j, "\"points\": 68", "\"points\": 70"),
        "fr_landmark.onnx output [output] has 136 values, but landmarks.points = 70 needs 140");
  }

  /**
   * The descriptor without its optional recognizability section (the default pack's last section).
   */
  private static String withoutRecognizability(String json) {
    int key = json.indexOf(",\n  \"recognizability\"");
    return key < 0 ? json : json.substring(0, key) + "\n}\n";
  }

  @Test
  public void refusesAPatchTensorTheGraphDoesNotProduce() throws IOException {
    assertOpenRefused(
        j ->
            PackFixtures.replace(
                j, "\"patch_tensor\": \"507\"", "\"patch_tensor\": \"no_such_tensor\""),
        "cannot expose feature.patch_tensor [no_such_tensor] of fr_feature.onnx: no node of the graph produces a tensor named [no_such_tensor]");
  }

  @Test
  public void anyTensorTheDescriptorNamesCanBeThePatchMap() throws IOException {
    // Tensor 659 feeds the PRelu that makes 507: also [1, 512, 7, 7]. A pack naming it opens.
    Path root = tmp.newFolder().toPath();
    PackFixtures.copy(
        root,
        "custom",
        j -> PackFixtures.replace(j, "\"patch_tensor\": \"507\"", "\"patch_tensor\": \"659\""));
    try (ModelSessions s = ModelSessions.open(ModelPack.load(root, "custom"), Device.CPU)) {
      assertTrue(s.feature().getOutputNames().contains("659"));
    }
  }

  @Test
  public void cudaIsRefusedWhenThisBuildHasNoCudaProvider() {
    Assume.assumeFalse(
        "this ONNX Runtime build has CUDA",
        OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA));
    try (ModelSessions s = ModelSessions.open(TestData.defaultPack(), Device.CUDA)) {
      throw new AssertionError("opened on CUDA without a CUDA provider: " + s.device());
    } catch (IllegalStateException e) {
      assertThat(
          e.getMessage(),
          containsString(
              "inference device [cuda] was requested, but this ONNX Runtime build has no CUDA provider"));
    }
  }

  @Test
  public void unbatchableFeatureModelIsOpenedWithAFixedBatch() throws Exception {
    Path root = tmp.newFolder().toPath();
    PackFixtures.copy(
        root,
        "custom",
        j -> PackFixtures.replace(j, "\"batchable\": true", "\"batchable\": false"));
    try (ModelSessions s = ModelSessions.open(ModelPack.load(root, "custom"), Device.CPU)) {
      TensorInfo in = (TensorInfo) s.feature().getInputInfo().get("input").getInfo();
      assertArrayEquals(new long[] {1, 3, 112, 112}, in.getShape());
      assertFalse(s.descriptor().feature().batchable());
    }
  }

  @Test
  public void deviceNamesParse() {
    assertEquals(Device.CPU, EnumOption.parse("device", "cpu", Device.class));
    assertEquals(Device.CUDA, EnumOption.parse("device", "CUDA", Device.class));
    try {
      EnumOption.parse("plugins.face.inference.device", "tpu", Device.class);
      throw new AssertionError("accepted tpu");
    } catch (IllegalArgumentException e) {
      assertThat(
          e.getMessage(),
          containsString("[plugins.face.inference.device] must be one of [cpu, cuda], got [tpu]"));
    }
  }
}
