package org.facesearch.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.facesearch.plugin.settings.FaceSettings;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.test.OpenSearchTestCase;

/**
 * docs/settings.md names every setting, and its opensearch.yml example is valid for each of them.
 */
public class SettingsDocsTests extends OpenSearchTestCase {

  private static String page() throws IOException {
    try (InputStream in = SettingsDocsTests.class.getResourceAsStream("/docs/settings.md")) {
      assertNotNull("docs/settings.md is not on the test classpath", in);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  public void testEverySettingIsDocumented() throws IOException {
    String page = page();
    List<Setting<?>> all = new ArrayList<>(FaceSettings.all());
    all.addAll(org.facesearch.field.codec.FaceIndexSettings.all());
    for (Setting<?> setting : all) {
      assertTrue(
          setting.getKey() + " is not in docs/settings.md",
          page.contains("`" + setting.getKey() + "`"));
    }
  }

  public void testYamlExamplesAreValidSettings() throws IOException {
    List<String> blocks = yamlBlocks(page());
    assertFalse("docs/settings.md has no yaml example", blocks.isEmpty());
    for (String block : blocks) {
      Settings settings = Settings.builder().loadFromSource(block, XContentType.YAML).build();
      for (String key : settings.keySet()) {
        Setting<?> setting =
            FaceSettings.all().stream()
                .filter(s -> s.getKey().equals(key))
                .findFirst()
                .orElseThrow(() -> new AssertionError("example uses unknown setting " + key));
        assertTrue(key, setting.exists(settings));
        setting.get(settings); // throws, naming the setting, when the documented value is invalid
      }
    }
  }

  private static List<String> yamlBlocks(String page) {
    List<String> blocks = new ArrayList<>();
    String[] lines = page.split("\n");
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].trim().equals("```yaml")) {
        StringBuilder block = new StringBuilder();
        for (i++; i < lines.length && !lines[i].trim().equals("```"); i++) {
          block.append(lines[i]).append('\n');
        }
        blocks.add(block.toString());
      }
    }
    return blocks;
  }
}
