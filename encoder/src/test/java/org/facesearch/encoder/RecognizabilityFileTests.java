package org.facesearch.encoder;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.facesearch.model.ModelPackException;
import org.facesearch.testing.TestData;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A node file under config/face-search/recognizability replaces a pack's calibration. */
public class RecognizabilityFileTests {

  @Rule public TemporaryFolder temp = new TemporaryFolder();

  private static String calibration(float[] centroid, String extra) {
    StringBuilder b = new StringBuilder("{\"ui_centroid\": [");
    for (int i = 0; i < centroid.length; i++) {
      b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.7f", centroid[i]));
    }
    return b.append("], \"ui_centroid_source\": \"test\"").append(extra).append('}').toString();
  }

  private Path dir(String file, String json) throws IOException {
    Path dir = temp.newFolder().toPath().resolve("recognizability");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(file), json, StandardCharsets.UTF_8);
    return dir;
  }

  @Test
  public void theFileReplacesCentroidAndThreshold() throws IOException {
    float[] e0 = new float[512];
    e0[0] = 2; // not unit length: the loader normalises it
    Path dir =
        dir(
            "default.json",
            calibration(e0, ", \"ers_threshold\": 0.5, \"ers_threshold_source\": \"by hand\""));
    try (FaceModels models =
        FaceModels.load(
            List.of(TestData.modelRoot()), dir, EncoderOptions.defaults().withThreads(1))) {
      FaceModel model = models.get("default");
      assertEquals(dir.resolve("default.json"), model.recognizabilityFile());
      assertEquals(0.5f, model.ersThreshold(), 0);
      float[] f = new float[512];
      f[0] = 0.6f;
      f[1] = 0.8f;
      assertEquals(1 - 0.6f, model.ers(f), 1e-6); // ERS = 1 - <e0, f>
      float[] against = new float[512];
      against[0] = -1;
      assertEquals(1f, model.ers(against), 0); // clamped to 1
    }
  }

  @Test
  public void withoutAThresholdTheModelHasNone() throws IOException {
    float[] e1 = new float[512];
    e1[1] = 1;
    Path dir = dir("default.json", calibration(e1, ""));
    try (FaceModels models =
        FaceModels.load(
            List.of(TestData.modelRoot()), dir, EncoderOptions.defaults().withThreads(1))) {
      assertNull(
          models.get("default").ersThreshold()); // the old threshold was made for another centroid
    }
  }

  @Test
  public void badFilesStopTheNode() throws IOException {
    float[] e0 = new float[512];
    e0[0] = 1;
    ModelPackException unknown =
        assertThrows(
            ModelPackException.class,
            () ->
                FaceModels.load(
                    List.of(TestData.modelRoot()),
                    dir("nosuch.json", calibration(e0, "")),
                    EncoderOptions.defaults()));
    assertThat(
        unknown.getMessage(),
        containsString(
            "replaces the recognizability calibration of model [nosuch], but this node has [default]"));

    ModelPackException shortVector =
        assertThrows(
            ModelPackException.class,
            () ->
                FaceModels.load(
                    List.of(TestData.modelRoot()),
                    dir("default.json", calibration(new float[] {1, 0}, "")),
                    EncoderOptions.defaults()));
    assertThat(
        shortVector.getMessage(), containsString("[ui_centroid] must have 512 numbers, got 2"));

    ModelPackException noSource =
        assertThrows(
            ModelPackException.class,
            () ->
                FaceModels.load(
                    List.of(TestData.modelRoot()),
                    dir("default.json", "{\"ers_threshold\": 0.7}"),
                    EncoderOptions.defaults()));
    assertThat(noSource.getMessage(), containsString("[ers_threshold_source] is required"));

    ModelPackException other =
        assertThrows(
            ModelPackException.class,
            () ->
                FaceModels.load(
                    List.of(TestData.modelRoot()),
                    dir("notes.txt", "hello"),
                    EncoderOptions.defaults()));
    assertThat(other.getMessage(), containsString("is not a <model>.json file"));
  }
}
