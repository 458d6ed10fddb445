package org.facesearch.encoder;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.facesearch.model.ModelPack;
import org.facesearch.model.ModelPackException;
import org.facesearch.model.PackDescriptor;

/**
 * The model packs a node serves, by name: the packs bundled with the plugin, then the custom packs
 * under the node's {@code config/face-search/models/}. A custom pack may not reuse a bundled name.
 * A pack's recognizability calibration can be replaced by a file under {@code
 * config/face-search/recognizability/} (see {@link #load(List, Path, EncoderOptions)}). Every pack
 * is verified when the node starts, so a broken pack stops the node with a clear message instead of
 * failing the first document; its models are opened then too, or, for a node that may never encode,
 * by the first image it encodes ({@link FaceEncoder#openOnFirstUse}).
 */
public final class FaceModels implements Closeable {

  private final Map<String, FaceModel> models;

  private FaceModels(Map<String, FaceModel> models) {
    this.models = models;
  }

  /**
   * Loads every pack found under the roots (a root that does not exist holds no packs).
   *
   * @throws ModelPackException when a pack is invalid or two packs share a name
   */
  public static FaceModels load(List<Path> roots, EncoderOptions options) {
    return load(roots, null, options);
  }

  /**
   * Loads every pack found under the roots, then replaces the recognizability calibration of each
   * pack that has a file {@code <name>.json} in {@code recognizabilityDir} (null or missing: none
   * replaced). Such a file holds the keys of a descriptor's {@code recognizability} block; it
   * replaces the whole block, so a new centroid comes with the threshold meant for it.
   *
   * @throws ModelPackException when a pack is invalid, two packs share a name, or a calibration
   *     file is invalid or names no loaded pack
   */
  public static FaceModels load(List<Path> roots, Path recognizabilityDir, EncoderOptions options) {
    return load(roots, recognizabilityDir, options, true);
  }

  /**
   * As {@link #load(List, Path, EncoderOptions)}; with {@code openModelsNow} false each pack is
   * verified (descriptor, SHA-256 of every file) but its ONNX Runtime sessions are created by the
   * first image its encoder encodes.
   */
  public static FaceModels load(
      List<Path> roots, Path recognizabilityDir, EncoderOptions options, boolean openModelsNow) {
    Map<String, FaceModel> models = new LinkedHashMap<>();
    try {
      for (Path root : roots) {
        if (!Files.isDirectory(root)) {
          continue;
        }
        for (String name : ModelPack.list(root)) {
          if (models.containsKey(name)) {
            throw new ModelPackException(
                "model pack ["
                    + name
                    + "] under "
                    + root
                    + " has the name of a pack already loaded from "
                    + models.get(name).pack().directory().getParent()
                    + "; give it another name");
          }
          ModelPack pack = ModelPack.load(root, name);
          models.put(
              name,
              new FaceModel(
                  pack,
                  openModelsNow
                      ? FaceEncoder.open(pack, options)
                      : FaceEncoder.openOnFirstUse(pack, options)));
        }
      }
      if (recognizabilityDir != null && Files.isDirectory(recognizabilityDir)) {
        replaceCalibrations(models, recognizabilityDir);
      }
    } catch (RuntimeException e) {
      models.values().forEach(m -> m.encoder().close());
      throw e;
    }
    return new FaceModels(models);
  }

  private static void replaceCalibrations(Map<String, FaceModel> models, Path dir) {
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing.sorted().toList();
    } catch (IOException e) {
      throw new ModelPackException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    for (Path file : files) {
      String fileName = file.getFileName().toString();
      if (!fileName.endsWith(".json") || !Files.isRegularFile(file)) {
        throw new ModelPackException(
            file
                + " is not a <model>.json file; "
                + dir
                + " holds only recognizability calibrations");
      }
      String name = fileName.substring(0, fileName.length() - ".json".length());
      FaceModel model = models.get(name);
      if (model == null) {
        throw new ModelPackException(
            file
                + " replaces the recognizability calibration of model ["
                + name
                + "], but this node has "
                + models.keySet());
      }
      PackDescriptor.Recognizability calibration;
      try {
        calibration =
            PackDescriptor.parseRecognizability(
                Files.readAllBytes(file), model.pack().descriptor().feature().embeddingDims());
      } catch (IOException | IllegalArgumentException e) {
        throw new ModelPackException(
            "recognizability calibration " + file + " is invalid: " + e.getMessage(), e);
      }
      models.put(name, new FaceModel(model.pack(), model.encoder(), calibration, file));
    }
  }

  /** The pack called {@code name}; the message of the exception lists the loaded ones. */
  public FaceModel get(String name) {
    FaceModel model = models.get(name);
    if (model == null) {
      throw new IllegalArgumentException(
          "unknown model [" + name + "]; this node has " + models.keySet());
    }
    return model;
  }

  public Collection<FaceModel> all() {
    return List.copyOf(models.values());
  }

  @Override
  public void close() {
    List<RuntimeException> failures = new ArrayList<>();
    for (FaceModel model : models.values()) {
      try {
        model.encoder().close();
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    if (!failures.isEmpty()) {
      RuntimeException first = failures.get(0);
      failures.subList(1, failures.size()).forEach(first::addSuppressed);
      throw first;
    }
  }
}
