package org.facesearch.testing;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.facesearch.encoder.EncoderOptions;
import org.facesearch.encoder.FaceEncoder;
import org.facesearch.model.ModelPack;

/**
 * The fetched default model pack and the shared LFW data, from the system properties the build sets
 * ({@code face.model.dir}, {@code face.data.dir}), and one encoder shared by all tests of a JVM:
 * opening the models costs about a second.
 */
public final class TestData {
  private TestData() {}

  private static FaceEncoder encoder;

  public static Path modelRoot() {
    Path dir = Path.of(System.getProperty("face.model.dir", "target/model-packs"));
    assertTrue(
        "the default model pack is missing under "
            + dir.toAbsolutePath()
            + ": run the build (generate-resources fetches it)",
        Files.isRegularFile(dir.resolve("default").resolve(ModelPack.DESCRIPTOR)));
    return dir;
  }

  public static ModelPack defaultPack() {
    return ModelPack.load(modelRoot(), "default");
  }

  public static Path lfw() {
    Path dir = Path.of(System.getProperty("face.data.dir", "../../shared/data")).resolve("lfw");
    assertTrue(
        "LFW not found at " + dir.toAbsolutePath() + " (system property face.data.dir)",
        Files.isDirectory(dir));
    return dir;
  }

  /** Bytes of LFW image {@code number} (1-based) of {@code person}. */
  public static byte[] lfwImage(String person, int number) {
    Path p =
        lfw().resolve(person).resolve(String.format(Locale.ROOT, "%s_%04d.jpg", person, number));
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An encoder on the default pack with default options (all cores), opened once per JVM. */
  public static synchronized FaceEncoder encoder() {
    if (encoder == null) {
      encoder = FaceEncoder.open(defaultPack(), EncoderOptions.defaults());
    }
    return encoder;
  }

  public static float dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return (float) s;
  }

  public static double norm(float[] v, int from, int length) {
    double s = 0;
    for (int i = from; i < from + length; i++) {
      s += (double) v[i] * v[i];
    }
    return Math.sqrt(s);
  }
}
