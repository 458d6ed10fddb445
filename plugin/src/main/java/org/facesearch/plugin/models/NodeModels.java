package org.facesearch.plugin.models;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.facesearch.encoder.EncoderOptions;
import org.facesearch.encoder.FaceModels;
import org.facesearch.image.ImageLimits;
import org.facesearch.plugin.settings.FaceSettings;
import org.opensearch.cluster.node.DiscoveryNode;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.secure_sm.AccessController;

/**
 * Loads the node's model packs once, the first time a part of the plugin needs them: the packs
 * bundled in the plugin's {@code models/} folder, then custom packs under {@code
 * config/face-search/models/}, and replaced recognizability calibrations under {@code
 * config/face-search/recognizability/}. Nothing else on the file system is read.
 *
 * <p>Every node verifies its packs at start. A node with the {@code ingest} role, which runs the
 * {@code face_embedding} processor, also opens their models then; any other node (a data or
 * cluster-manager node of a cluster) opens them only when it first encodes an image, e.g. a query
 * photo of a search it coordinates: photos of a bulk request are encoded on ingest nodes, and stage
 * 2 on the data nodes reads the query face the coordinating node encoded.
 */
public final class NodeModels {

  private FaceModels models;

  /**
   * The node's models, loaded on first use; a broken pack fails the node's start with its reason.
   */
  public synchronized FaceModels get(Environment environment) {
    if (models == null) {
      Settings settings = environment.settings();
      EncoderOptions options = options(settings);
      List<Path> roots = List.of(bundledRoot(), customRoot(environment));
      Path calibrations = recognizabilityRoot(environment);
      boolean openNow = DiscoveryNode.isIngestNode(settings);
      models =
          AccessController.doPrivileged(
              () -> FaceModels.load(roots, calibrations, options, openNow));
    }
    return models;
  }

  /**
   * The models if loaded, else null (for close and for handlers created before the node started).
   */
  public synchronized FaceModels loaded() {
    return models;
  }

  static EncoderOptions options(Settings settings) {
    // The node finds faces down to 1 pixel; each processor applies its own min_face_size.
    return new EncoderOptions(
        new ImageLimits(
            FaceSettings.IMAGE_MAX_BYTES.get(settings).getBytes(),
            FaceSettings.IMAGE_MAX_PIXELS.get(settings)),
        1,
        FaceSettings.INFERENCE_DEVICE.get(settings),
        FaceSettings.INFERENCE_THREADS.get(settings),
        FaceSettings.INFERENCE_QUEUE_SIZE.get(settings),
        FaceSettings.INFERENCE_BATCH_SIZE.get(settings));
  }

  /** {@code config/face-search/models}: where users put their own packs. */
  public static Path customRoot(Environment environment) {
    return environment.configDir().resolve("face-search").resolve("models");
  }

  /**
   * {@code config/face-search/recognizability}: {@code <model>.json} files that replace a pack's
   * recognizability calibration.
   */
  public static Path recognizabilityRoot(Environment environment) {
    return environment.configDir().resolve("face-search").resolve("recognizability");
  }

  /**
   * The {@code models/} folder next to the plugin's code: the plugin's install folder, or target/
   * in a build.
   */
  static Path bundledRoot() {
    try {
      Path code =
          Path.of(NodeModels.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      // Installed: plugins/face-search/<jar> -> plugins/face-search/models. Built: target/classes
      // -> target/models.
      return code.getParent().resolve("models");
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the face-search plugin's own folder", e);
    }
  }

  public synchronized void close() {
    if (models != null) {
      models.close();
    }
  }
}
