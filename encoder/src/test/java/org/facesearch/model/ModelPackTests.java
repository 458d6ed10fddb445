package org.facesearch.model;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.facesearch.testing.TestData;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ModelPackTests {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  static ModelPackException assertRefused(Path root, String name, String message) {
    try {
      ModelPack.load(root, name);
    } catch (ModelPackException e) {
      assertThat(e.getMessage(), containsString(message));
      return e;
    }
    throw new AssertionError("loaded pack [" + name + "] that should be refused with: " + message);
  }

  @Test
  public void loadsAndVerifiesTheFetchedDefaultPack() {
    ModelPack pack = ModelPack.load(TestData.modelRoot(), "default");
    assertEquals("default", pack.name());
    assertEquals("0.0.1", pack.version());
    assertEquals(3, pack.descriptor().sha256().size());
    assertEquals(List.of("default"), ModelPack.list(TestData.modelRoot()));
  }

  @Test
  public void refusesNamesThatAreNotPlainFolderNames() {
    Path root = TestData.modelRoot();
    for (String name :
        new String[] {"../model-packs", "default/..", "a/b", "", ".hidden", "/etc"}) {
      assertRefused(root, name, "invalid model pack name [" + name + "]");
    }
  }

  @Test
  public void refusesALinkLeadingOutsideTheRoot() throws IOException {
    Path root = tmp.newFolder("models").toPath();
    Files.createSymbolicLink(
        root.resolve("evil"), TestData.modelRoot().resolve("default").toAbsolutePath());
    assertRefused(root, "evil", "outside the allowed folder " + root.toRealPath());
  }

  @Test
  public void refusesAMissingPackOrRoot() throws IOException {
    Path root = tmp.newFolder("models").toPath();
    assertRefused(
        root,
        "nope",
        "model pack [nope] not found: expected a folder "
            + root.toRealPath().resolve("nope")
            + " containing pack.json");
    assertRefused(root.resolve("absent"), "default", "does not exist or cannot be read");
  }

  @Test
  public void refusesAMissingModelFile() throws IOException {
    Path root = tmp.newFolder("models").toPath();
    Path dir = PackFixtures.copy(root, "custom", json -> json);
    Files.delete(dir.resolve("fr_landmark.onnx"));
    assertRefused(
        root,
        "custom",
        "model pack [custom]: file "
            + dir.toRealPath().resolve("fr_landmark.onnx")
            + " is missing");
  }

  @Test
  public void refusesACorruptModelFile() throws IOException {
    Path root = tmp.newFolder("models").toPath();
    Path dir = PackFixtures.copy(root, "custom", json -> json);
    byte[] bytes = Files.readAllBytes(dir.resolve("fr_detect.onnx"));
    bytes[bytes.length / 2] ^= 1;
    Files.write(dir.resolve("fr_detect.onnx"), bytes);
    ModelPackException e =
        assertRefused(
            root,
            "custom",
            "model pack [custom]: fr_detect.onnx is corrupt or was replaced: its SHA-256 is ");
    assertThat(
        e.getMessage(),
        containsString(
            "but pack.json says 6c0256ccd3164f844736a401faf936ec2930764a87ae39442180887d0c5c8854"));
  }

  @Test
  public void refusesAModelFileLinkedFromOutsideThePack() throws IOException {
    Path root = tmp.newFolder("models").toPath();
    Path dir = PackFixtures.copy(root, "custom", json -> json);
    Files.delete(dir.resolve("fr_feature.onnx"));
    Files.createSymbolicLink(
        dir.resolve("fr_feature.onnx"),
        TestData.modelRoot().resolve("default/fr_feature.onnx").toAbsolutePath());
    assertRefused(root, "custom", "fr_feature.onnx resolves to");
  }

  @Test
  public void refusesADescriptorNamingAnotherPack() throws IOException {
    Path root = tmp.newFolder("models").toPath();
    PackFixtures.copy(
        root,
        "custom",
        json -> PackFixtures.replace(json, "\"name\": \"custom\"", "\"name\": \"default\""));
    assertRefused(
        root, "custom", "model pack folder [custom] holds a descriptor for pack [default]");
  }

  @Test
  public void refusesAnInvalidDescriptorNamingTheKey() throws IOException {
    Path root = tmp.newFolder("models").toPath();
    PackFixtures.copy(
        root,
        "custom",
        json -> PackFixtures.replace(json, "\"nms_iou\": 0.4", "\"nms_iou\": \"0.4\""));
    assertRefused(
        root,
        "custom",
        "model pack [custom]: invalid pack.json: [detector.nms_iou] must be a number, got 0.4");
  }
}
