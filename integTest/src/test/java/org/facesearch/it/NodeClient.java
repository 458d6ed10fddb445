package org.facesearch.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.ParseException;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.opensearch.client.Request;
import org.opensearch.client.Response;
import org.opensearch.client.ResponseException;
import org.opensearch.client.RestClient;

/**
 * A REST client for the real node that the build started (scripts/node.sh, home in the
 * {@code node.home} system property). Answers come back as status + parsed JSON, whatever the status.
 */
final class NodeClient implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A response: HTTP status and its body as a JSON tree (a text node for non-JSON bodies). */
  record Answer(int status, JsonNode body, String text) {}

  private final RestClient client;

  private NodeClient(RestClient client) {
    this.client = client;
  }

  static NodeClient connect() {
    Path home = Path.of(System.getProperty("node.home", "target/node"));
    try {
      int port = Integer.parseInt(Files.readString(home.resolve("http.port")).trim());
      return new NodeClient(RestClient.builder(new HttpHost("http", "127.0.0.1", port)).build());
    } catch (IOException e) {
      throw new UncheckedIOException("no running node under " + home + " (started by scripts/node.sh?)", e);
    }
  }

  Answer call(String method, String endpoint) {
    return call(method, endpoint, null);
  }

  Answer call(String method, String endpoint, String jsonBody) {
    Request request = new Request(method, endpoint);
    if (jsonBody != null) {
      request.setJsonEntity(jsonBody);
    }
    Response response;
    try {
      response = client.performRequest(request);
    } catch (ResponseException e) {
      response = e.getResponse();
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + endpoint + " failed", e);
    }
    try {
      String text = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity());
      JsonNode body = text.isEmpty() ? JSON.nullNode() : parseOrText(text);
      return new Answer(response.getStatusLine().getStatusCode(), body, text);
    } catch (IOException | ParseException e) {
      throw new IllegalStateException("unreadable answer to " + method + " " + endpoint, e);
    }
  }

  private static JsonNode parseOrText(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException notJson) {
      return JSON.getNodeFactory().textNode(text);
    }
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}
