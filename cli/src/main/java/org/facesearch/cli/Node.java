package org.facesearch.cli;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.ParseException;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.opensearch.client.Request;
import org.opensearch.client.Response;
import org.opensearch.client.ResponseException;
import org.opensearch.client.RestClient;

/** A running node on 127.0.0.1: requests with JSON bodies, answers as JSON trees. */
final class Node implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  private final RestClient client;

  Node(int port) {
    this.client = RestClient.builder(new HttpHost("http", "127.0.0.1", port)).build();
  }

  /** Sends a request; a non-2xx answer is an exception carrying the node's error. */
  JsonNode call(String method, String endpoint, String body) {
    Request request = new Request(method, endpoint);
    if (body != null) {
      request.setJsonEntity(body);
    }
    try {
      Response response = client.performRequest(request);
      return JSON.readTree(EntityUtils.toString(response.getEntity()));
    } catch (ResponseException e) {
      throw new NodeError(e.getResponse().getStatusLine().getStatusCode(), text(e.getResponse()));
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + endpoint + ": " + e.getMessage(), e);
    } catch (ParseException e) {
      throw new IllegalStateException("unreadable answer to " + method + " " + endpoint, e);
    }
  }

  boolean exists(String endpoint) {
    try {
      // The client does not throw on a 404 answer to HEAD: read the status.
      int status = client.performRequest(new Request("HEAD", endpoint)).getStatusLine().getStatusCode();
      if (status == 404) {
        return false;
      }
      if (status / 100 != 2) {
        throw new NodeError(status, "HEAD " + endpoint);
      }
      return true;
    } catch (ResponseException e) {
      throw new NodeError(e.getResponse().getStatusLine().getStatusCode(), "HEAD " + endpoint);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(Response response) {
    try {
      return response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity());
    } catch (IOException | ParseException e) {
      return "(unreadable error body: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws IOException {
    client.close();
  }

  /** The node answered with an error status. */
  static final class NodeError extends RuntimeException {
    final int status;

    NodeError(int status, String body) {
      super("HTTP " + status + ": " + body);
      this.status = status;
    }
  }
}
