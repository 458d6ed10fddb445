package org.facesearch.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.facesearch.cli.NodeClient;
import org.junit.Test;

/** The plugin zip installed into a stock OpenSearch: it loads and its endpoints answer. */
public class PluginInstalledIT extends RealNodeTestCase {

  @Test
  public void catPluginsListsFaceSearch() {
    NodeClient.Answer answer = node.call("GET", "/_cat/plugins?format=json");
    assertEquals(answer.text(), 200, answer.status());
    boolean found = false;
    for (JsonNode plugin : answer.body()) {
      found |= "face-search".equals(plugin.path("component").asText());
    }
    assertTrue("face-search missing from " + answer.text(), found);
  }

  @Test
  public void modelsEndpointAnswersWithAList() {
    NodeClient.Answer answer = node.call("GET", "/_plugins/face/models");
    assertEquals(answer.text(), 200, answer.status());
    assertTrue(answer.text(), answer.body().path("models").isArray());
  }

  @Test
  public void unknownParameterOnModelsIsA400NamingIt() {
    NodeClient.Answer answer = node.call("GET", "/_plugins/face/models?colour=red");
    assertEquals(answer.text(), 400, answer.status());
    assertTrue(answer.text(), answer.text().contains("colour"));
  }
}
