package org.facesearch.plugin;

import java.util.Collection;
import java.util.List;
import org.facesearch.plugin.settings.FaceSettings;
import org.opensearch.common.settings.Settings;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.PluginsService;
import org.opensearch.test.OpenSearchSingleNodeTestCase;

/** The plugin on a real in-JVM node: it loads, and its settings validate what users give them. */
public class FaceSearchPluginTests extends OpenSearchSingleNodeTestCase {

  @Override
  protected Collection<Class<? extends Plugin>> getPlugins() {
    return List.of(FaceSearchPlugin.class);
  }

  public void testPluginIsLoadedOnTheNode() {
    List<FaceSearchPlugin> loaded =
        getInstanceFromNode(PluginsService.class).filterPlugins(FaceSearchPlugin.class);
    assertEquals(1, loaded.size());
  }

  public void testDeviceSettingRejectsUnknownDevice() {
    Settings settings = Settings.builder().put("plugins.face.inference.device", "tpu").build();
    IllegalArgumentException e =
        expectThrows(
            IllegalArgumentException.class, () -> FaceSettings.INFERENCE_DEVICE.get(settings));
    assertTrue(e.getMessage(), e.getMessage().contains("plugins.face.inference.device"));
    assertTrue(e.getMessage(), e.getMessage().contains("tpu"));
  }

  public void testBatchSizeOutOfRangeIsRejected() {
    Settings settings = Settings.builder().put("plugins.face.inference.batch_size", 0).build();
    IllegalArgumentException e =
        expectThrows(
            IllegalArgumentException.class, () -> FaceSettings.INFERENCE_BATCH_SIZE.get(settings));
    assertTrue(e.getMessage(), e.getMessage().contains("plugins.face.inference.batch_size"));
  }

  public void testImageLimitsAreDynamicClusterSettings() {
    client()
        .admin()
        .cluster()
        .prepareUpdateSettings()
        .setTransientSettings(Settings.builder().put("plugins.face.image.max_pixels", 1000).build())
        .get();
    IllegalArgumentException e =
        expectThrows(
            IllegalArgumentException.class,
            () ->
                client()
                    .admin()
                    .cluster()
                    .prepareUpdateSettings()
                    .setTransientSettings(
                        Settings.builder().put("plugins.face.image.max_pixels", 0).build())
                    .get());
    assertTrue(e.getMessage(), e.getMessage().contains("plugins.face.image.max_pixels"));
    client()
        .admin()
        .cluster()
        .prepareUpdateSettings()
        .setTransientSettings(Settings.builder().putNull("plugins.face.image.max_pixels").build())
        .get();
  }
}
