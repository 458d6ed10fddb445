package org.facesearch.model;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.facesearch.verification.VerificationCalibration;
import org.junit.Test;

public class PackDescriptorTests {

  /** The committed default descriptor (the source copy, independent of the fetched pack). */
  static String defaultJson() throws IOException {
    return Files.readString(
        Path.of("src/main/model-packs/default/pack.json"), StandardCharsets.UTF_8);
  }

  static PackDescriptor parse(String json) {
    return PackDescriptor.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  static void assertInvalid(String json, String message) {
    try {
      parse(json);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage(), containsString(message));
      return;
    }
    throw new AssertionError("accepted a descriptor that should fail with: " + message);
  }

  static String replace(String json, String from, String to) {
    assertTrue("the default descriptor contains " + from, json.contains(from));
    return json.replace(from, to);
  }

  @Test
  public void defaultDescriptorHasTheMeasuredParameters() throws IOException {
    PackDescriptor d = parse(defaultJson());
    assertEquals("default", d.name());
    assertEquals("0.0.1", d.version());
    assertEquals("MIT", d.license());
    assertEquals(
        "6c0256ccd3164f844736a401faf936ec2930764a87ae39442180887d0c5c8854",
        d.sha256().get("fr_detect.onnx"));
    assertEquals(
        "f10b0ba1d2a8a099adefede1ebf3733e44fe370715e7303dbeb7f59c02142258",
        d.sha256().get("fr_landmark.onnx"));
    assertEquals(
        "87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581",
        d.sha256().get("fr_feature.onnx"));
    PackDescriptor.Detector det = d.detector();
    assertEquals(320, det.inputWidth());
    assertEquals(240, det.inputHeight());
    assertArrayEquals(new float[] {127, 127, 127}, det.mean(), 0f);
    assertArrayEquals(new float[] {1 / 128f, 1 / 128f, 1 / 128f}, det.scale(), 0f);
    assertEquals(0.65f, det.scoreThreshold(), 0f);
    assertEquals(0.4f, det.nmsIou(), 0f);
    assertEquals(1, det.faceClass());
    assertFalse(det.bgr());
    PackDescriptor.Landmarks lm = d.landmarks();
    assertEquals(64, lm.inputSize());
    assertEquals(1 / 256f, lm.scale(), 0f);
    assertEquals(68, lm.points());
    assertArrayEquals(new int[] {37, 38, 40, 41}, lm.fivePoints()[0]);
    assertArrayEquals(new int[] {54, 64}, lm.fivePoints()[4]);
    PackDescriptor.Feature f = d.feature();
    assertEquals(112, f.inputSize());
    assertEquals("507", f.patchTensor());
    assertEquals(7, f.gridH());
    assertEquals(7, f.gridW());
    assertEquals(512, f.patchDims());
    assertEquals(512, f.embeddingDims());
    assertTrue(f.batchable());
    assertArrayEquals(
        new float[] {
          38.2946f, 51.6963f, 73.5318f, 51.5014f, 56.0252f, 71.7366f, 41.5493f, 92.3655f, 70.7299f,
          92.2041f
        },
        f.alignmentTemplate(),
        0f);
    // The shipped calibration (docs/recognizability.md); ShippedCalibrationTests checks its values.
    assertNotNull(d.recognizability());
    assertEquals(512, d.recognizability().uiCentroid().length);
    assertNotNull(d.recognizability().ersThreshold());
  }

  @Test
  public void refusesUnknownKeys() throws IOException {
    assertInvalid(
        replace(defaultJson(), "\"nms_iou\": 0.4", "\"nms_iou\": 0.4, \"nms_iuo\": 0.4"),
        "unknown key [detector.nms_iuo]");
  }

  @Test
  public void refusesMissingKeys() throws IOException {
    assertInvalid(
        replace(defaultJson(), "\"patch_tensor\": \"507\",", ""),
        "[feature.patch_tensor] is required");
  }

  @Test
  public void refusesWrongTypesAndRanges() throws IOException {
    String json = defaultJson();
    assertInvalid(
        replace(json, "\"input_width\": 320", "\"input_width\": 320.5"),
        "[detector.input_width] must be an integer in [1, 8192], got 320.5");
    assertInvalid(
        replace(json, "\"score_threshold\": 0.65", "\"score_threshold\": 1.5"),
        "[detector.score_threshold] must be in [0.0, 1.0], got 1.5");
    assertInvalid(
        replace(
            json,
            "\"channel_order\": \"rgb\",\n    \"mean\": [127.0, 127.0, 127.0],\n    \"scale\": [0.0078125, 0.0078125, 0.0078125],\n    \"scores_output\"",
            "\"channel_order\": \"rgba\",\n    \"mean\": [127.0, 127.0, 127.0],\n    \"scale\": [0.0078125, 0.0078125, 0.0078125],\n    \"scores_output\""),
        "[detector.channel_order] must be one of [rgb, bgr], got [rgba]");
    assertInvalid(
        replace(json, "\"patch_grid\": [7, 7]", "\"patch_grid\": [7]"),
        "[feature.patch_grid] must have 2 integers, got 1");
    assertInvalid(
        replace(json, "[54, 64]", "[54, 68]"),
        "[landmarks.five_points][4][1] must be a landmark index in [0, 68), got 68");
  }

  @Test
  public void refusesModelFilesNotListed() throws IOException {
    assertInvalid(
        replace(defaultJson(), "\"file\": \"fr_feature.onnx\"", "\"file\": \"other.onnx\""),
        "[feature.file] is [other.onnx], which [files] does not list");
  }

  @Test
  public void refusesBadChecksumsAndPaths() throws IOException {
    String json = defaultJson();
    assertInvalid(
        replace(json, "6c0256ccd3164f844736a401faf936ec2930764a87ae39442180887d0c5c8854", "6C02"),
        "[files.fr_detect.onnx.sha256] must be 64 lower-case hex digits, got [6C02]");
    assertInvalid(
        replace(json, "\"fr_detect.onnx\": {", "\"../fr_detect.onnx\": {"),
        "a file must be a plain name inside the pack folder");
  }

  @Test
  public void refusesMalformedJsonAndOtherFormats() throws IOException {
    assertInvalid("{\"format\": 1, \"format\": 1}", "duplicate key [format]");
    assertInvalid("{\"format\": 1", "not valid JSON");
    assertInvalid("[1, 2]", "the descriptor must be a JSON object");
    assertInvalid(
        replace(defaultJson(), "\"format\": 1", "\"format\": 2"),
        "[format] is 2 but this version of face-search reads format 1");
  }

  @Test
  public void acceptsScalarMeanAndScale() throws IOException {
    String json =
        replace(
            defaultJson(),
            "\"mean\": [127.0, 127.0, 127.0],\n    \"scale\": [0.0078125, 0.0078125, 0.0078125],\n    \"scores_output\"",
            "\"mean\": 127.5,\n    \"scale\": 0.5,\n    \"scores_output\"");
    PackDescriptor d = parse(json);
    assertArrayEquals(new float[] {127.5f, 127.5f, 127.5f}, d.detector().mean(), 0f);
    assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, d.detector().scale(), 0f);
  }

  /**
   * The descriptor with its recognizability section (the last key, if any) replaced by {@code
   * section}.
   */
  private static String withRecognizability(String json, String section) {
    int key = json.indexOf(",\n  \"recognizability\"");
    String head =
        key >= 0
            ? json.substring(0, key)
            : json.substring(0, json.lastIndexOf('}')).stripTrailing();
    return head + ",\n  \"recognizability\": " + section + "\n}\n";
  }

  @Test
  public void readsRecognizabilityCalibration() throws IOException {
    StringBuilder centroid = new StringBuilder("[");
    for (int i = 0; i < 512; i++) {
      centroid
          .append(i == 0 ? "" : ", ")
          .append(i < 2 ? "3" : "0"); // (3, 3, 0, ...) has length 3 sqrt(2)
    }
    centroid.append("]");
    PackDescriptor d =
        parse(
            withRecognizability(
                defaultJson(),
                "{\"ui_centroid\": "
                    + centroid
                    + ", \"ui_centroid_source\": \"test\", \"ers_threshold\": 0.4, \"ers_threshold_source\": \"test calibration\"}"));
    float[] c = d.recognizability().uiCentroid();
    assertEquals(512, c.length);
    assertEquals(1 / Math.sqrt(2), c[0], 1e-6);
    assertEquals(1 / Math.sqrt(2), c[1], 1e-6);
    assertEquals(0.4, d.recognizability().ersThreshold(), 0);
    assertEquals("test calibration", d.recognizability().ersThresholdSource());

    assertInvalid(
        withRecognizability(
            defaultJson(), "{\"ui_centroid\": [1, 2, 3], \"ui_centroid_source\": \"x\"}"),
        "[recognizability.ui_centroid] must have 512 numbers, got 3");
    assertInvalid(
        withRecognizability(defaultJson(), "{\"ers_threshold\": 0.5}"),
        "[recognizability.ers_threshold_source] is required with an ers_threshold");
    PackDescriptor none = parse(withRecognizability(defaultJson(), "{}"));
    assertNull(none.recognizability().uiCentroid());
    assertNull(none.recognizability().ersThreshold());
  }

  @Test
  public void readsVerificationCalibration() throws IOException {
    // The shipped calibration (docs/results/accuracy.md); ShippedVerificationTests checks it on LFW
    // faces.
    VerificationCalibration v = parse(defaultJson()).verification();
    assertNotNull(v);
    assertEquals(13, v.points().size());
    assertEquals(1e-2, v.maxFmr(), 0);
    assertEquals(1e-6, v.minFmr(), 0);
    assertTrue(v.source().contains("evaluation/run calibrate-verification"));

    String section =
        "\"verification\": {\"points\": [{\"fmr\": 1e-2, \"threshold\": 0.25, \"fnmr\": 0.01}, "
            + "{\"fmr\": 1e-4, \"threshold\": 0.41, \"fnmr\": 0.05}], \"source\": \"hand-made\"},\n  \"recognizability\"";
    VerificationCalibration two = parse(withVerification(section)).verification();
    assertEquals(0.41, two.threshold(1e-4), 0);
    assertEquals("hand-made", two.source());
    assertInvalid(
        withVerification(section.replace("0.41", "0.2")),
        "[verification.points]: point [1]: a smaller fmr cannot have a lower threshold (0.2 after 0.25)");
    assertInvalid(
        withVerification(section.replace(", \"source\": \"hand-made\"", "")),
        "[verification.source]");
    assertInvalid(
        withVerification(section.replace("\"fnmr\": 0.05", "\"fnmr\": 0.05, \"far\": 1")), "far");
    assertInvalid(
        withVerification(section.replace("\"threshold\": 0.41, ", "")),
        "[verification.points[1].threshold]");
    PackDescriptor none = parse(withRecognizability(withVerification(""), "{}"));
    assertNull(none.verification());
  }

  /**
   * The default descriptor with its verification section replaced by {@code section} (which ends
   * with the recognizability key, or is empty).
   */
  private static String withVerification(String section) throws IOException {
    String json = defaultJson();
    int from = json.indexOf("\"verification\"");
    int to = json.indexOf("\"recognizability\"");
    assertTrue(from > 0 && to > from);
    return section.isEmpty()
        ? json.substring(0, from) + json.substring(to)
        : json.substring(0, from) + section + json.substring(to + "\"recognizability\"".length());
  }
}
