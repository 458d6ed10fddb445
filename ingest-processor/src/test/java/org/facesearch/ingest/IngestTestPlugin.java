package org.facesearch.ingest;

import java.util.List;
import java.util.Map;
import org.facesearch.encoder.EncoderOptions;
import org.facesearch.encoder.FaceModels;
import org.facesearch.image.ImageLimits;
import org.facesearch.testing.TestData;
import org.opensearch.ingest.Processor;
import org.opensearch.plugins.IngestPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.secure_sm.AccessController;

/**
 * The ingest processor alone, for in-JVM test nodes, on the default model pack. Use with the field
 * module's {@code FieldTestPlugin} to index what it writes. Images are limited to {@link
 * #MAX_BYTES} (the node setting that changes it belongs to the plugin).
 */
public class IngestTestPlugin extends Plugin implements IngestPlugin {

  /** Every LFW photo is below this size. */
  public static final long MAX_BYTES = 60 * 1024;

  private FaceModels models;

  @Override
  public Map<String, Processor.Factory> getProcessors(Processor.Parameters parameters) {
    return Map.of(
        FaceEmbeddingProcessor.TYPE,
        new FaceEmbeddingProcessor.Factory(
            models(), EncoderOptions.DEFAULT_BATCH_SIZE, parameters.threadContext));
  }

  /**
   * The default pack, from the build's model folder (on the test class path, so the test agent lets
   * it be read).
   */
  public synchronized FaceModels models() {
    if (models == null) {
      models =
          AccessController.doPrivileged(() ->
              FaceModels.load(
                  List.of(TestData.modelRoot()),
                  EncoderOptions.defaults()
                      .withLimits(new ImageLimits(MAX_BYTES, ImageLimits.DEFAULT_MAX_PIXELS))));
    }
    return models;
  }

  @Override
  public synchronized void close() {
    if (models != null) {
      models.close();
    }
  }
}
