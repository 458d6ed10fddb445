package org.facesearch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.ParseException;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.reactor.IOSession;
import org.apache.hc.core5.util.Timeout;
import org.opensearch.client.Request;
import org.opensearch.client.RequestOptions;
import org.opensearch.client.Response;
import org.opensearch.client.ResponseException;
import org.opensearch.client.RestClient;
import org.opensearch.client.RestClientBuilder;

/**
 * The REST client of a running node on 127.0.0.1 (never another host): the CLI's commands, the
 * real-server tests and the node benchmarks all talk to the node through it. JSON bodies in, JSON
 * trees out ({@link Json}); {@link #call} hands back any answer with its status, {@link #request}
 * and {@link #send} return a 2xx answer or throw a {@link NodeError} carrying the node's error.
 */
public final class NodeClient implements Closeable {
  /** The content type of {@code _bulk} bodies. */
  public static final ContentType NDJSON = ContentType.create("application/x-ndjson");

  /**
   * An answer of any status: the status, the body as a JSON tree (a text node for non-JSON bodies,
   * null for none) and the text.
   */
  public record Answer(int status, JsonNode body, String text) {}

  /**
   * An answer as it came: the status, the content type, the body's bytes (a picture, say) and the
   * response headers by name (each name once, as the node wrote it, with its values in order).
   */
  public record Raw(
      int status, String contentType, byte[] body, Map<String, List<String>> headers) {

    /** The first value of header {@code name} (case-insensitive), or null. */
    public String header(String name) {
      for (Map.Entry<String, List<String>> h : headers.entrySet()) {
        if (h.getKey().equalsIgnoreCase(name) && !h.getValue().isEmpty()) {
          return h.getValue().get(0);
        }
      }
      return null;
    }
  }

  private final int port;
  private final RestClient client;

  private NodeClient(int port, Duration responseTimeout) {
    this.port = port;
    RestClientBuilder builder =
        RestClient.builder(new HttpHost("http", "127.0.0.1", port))
            .setHttpClientConfigCallback(b -> b.setIoSessionDecorator(NodeClient::noDelay));
    if (responseTimeout != null) {
      builder.setRequestConfigCallback(c ->
          c.setResponseTimeout(Timeout.of(responseTimeout))
              .setConnectTimeout(Timeout.ofSeconds(10)));
    }
    this.client = builder.build();
  }

  /** The node on {@code port}, with the client's default timeouts. */
  public static NodeClient local(int port) {
    return new NodeClient(port, null);
  }

  /**
   * The node on {@code port}, waiting up to {@code responseTimeout} for an answer (a force-merge of
   * many vectors takes minutes).
   */
  public static NodeClient local(int port, Duration responseTimeout) {
    return new NodeClient(port, responseTimeout);
  }

  /**
   * The node that {@code scripts/node.sh} started with home {@code home} (its port is in {@code
   * home/http.port}).
   */
  public static NodeClient ofHome(Path home, Duration responseTimeout) {
    Path file = home.resolve("http.port");
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          file + " does not exist: is the node of " + home + " running (scripts/node.sh)?");
    }
    try {
      return new NodeClient(
          Integer.parseInt(Files.readString(file, StandardCharsets.US_ASCII).trim()),
          responseTimeout);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Turns Nagle's algorithm off on each new connection. httpcore5 5.4 (under the 3.6.0 client)
   * applies IOReactorConfig's TCP_NODELAY only when the socket already has a remote address, which
   * it never has before connecting, so it is never set; the client writes the headers and the body
   * of a request separately, and any body over about 1 KB then waits for the server's delayed ACK:
   * about 40 ms added to every search with an embedding or a photo.
   */
  private static IOSession noDelay(IOSession session) {
    if (!(session.channel() instanceof SocketChannel socket)) {
      throw new IllegalStateException(
          "expected a TCP connection, got " + session.channel().getClass().getName());
    }
    try {
      socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set TCP_NODELAY", e);
    }
    return session;
  }

  public int port() {
    return port;
  }

  /** A request without a body; any status is an answer. */
  public Answer call(String method, String endpoint) {
    return call(method, endpoint, null);
  }

  /** A request with a JSON body (or none); any status is an answer. */
  public Answer call(String method, String endpoint, String jsonBody) {
    Request request = new Request(method, endpoint);
    if (jsonBody != null) {
      request.setJsonEntity(jsonBody);
    }
    Response response = perform(request);
    String text = text(method, endpoint, response);
    JsonNode body = text.isEmpty() ? Json.MAPPER.nullNode() : Json.parseOrText(text);
    return new Answer(response.getStatusLine().getStatusCode(), body, text);
  }

  /** Sends the request; an answer of any status is a response, only a failed exchange throws. */
  private Response perform(Request request) {
    try {
      return client.performRequest(request);
    } catch (ResponseException e) {
      return e.getResponse();
    } catch (IOException e) {
      throw new UncheckedIOException(
          request.getMethod() + " " + request.getEndpoint() + " failed", e);
    }
  }

  /**
   * A request with a JSON body (or none) and extra request headers (such as {@code Accept}); any
   * status is an answer, kept as it came ({@link Raw}).
   */
  public Raw exchange(
      String method, String endpoint, String jsonBody, Map<String, String> requestHeaders) {
    Request request = new Request(method, endpoint);
    if (jsonBody != null) {
      request.setJsonEntity(jsonBody);
    }
    if (!requestHeaders.isEmpty()) {
      RequestOptions.Builder options = RequestOptions.DEFAULT.toBuilder();
      requestHeaders.forEach(options::addHeader);
      request.setOptions(options);
    }
    Response response = perform(request);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (Header h : response.getHeaders()) {
      headers.computeIfAbsent(h.getName(), k -> new ArrayList<>()).add(h.getValue());
    }
    try {
      byte[] body =
          response.getEntity() == null
              ? new byte[0]
              : EntityUtils.toByteArray(response.getEntity());
      String type = response.getEntity() == null ? null : response.getEntity().getContentType();
      return new Raw(response.getStatusLine().getStatusCode(), type, body, headers);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable answer to " + method + " " + endpoint, e);
    }
  }

  /**
   * A request without a body; the 2xx answer as a JSON tree, any other status a {@link NodeError}.
   */
  public JsonNode request(String method, String endpoint) {
    return request(method, endpoint, (String) null);
  }

  /**
   * A request with a JSON tree as its body; the 2xx answer as a JSON tree, any other status a
   * {@link NodeError}.
   */
  public JsonNode request(String method, String endpoint, JsonNode body) {
    return request(method, endpoint, body.toString());
  }

  /**
   * A request with a JSON body (or none); the 2xx answer as a JSON tree, any other status a {@link
   * NodeError}.
   */
  public JsonNode request(String method, String endpoint, String jsonBody) {
    Answer answer = call(method, endpoint, jsonBody);
    if (answer.status() / 100 != 2) {
      throw new NodeError(answer.status(), answer.text());
    }
    return answer.body();
  }

  /**
   * A request with a raw body of {@code type} (or none); the 2xx answer's bytes, any other status a
   * {@link NodeError}.
   */
  public byte[] send(String method, String endpoint, byte[] body, ContentType type) {
    Request request = new Request(method, endpoint);
    if (body != null) {
      request.setEntity(new ByteArrayEntity(body, type));
    }
    try {
      Response response = client.performRequest(request);
      return response.getEntity() == null
          ? new byte[0]
          : EntityUtils.toByteArray(response.getEntity());
    } catch (ResponseException e) {
      throw new NodeError(
          e.getResponse().getStatusLine().getStatusCode(), text(method, endpoint, e.getResponse()));
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + endpoint + " failed", e);
    }
  }

  /**
   * Whether {@code endpoint} exists (HEAD answers 2xx or 404); another status is a {@link
   * NodeError}.
   */
  public boolean exists(String endpoint) {
    // The client does not throw on a 404 answer to HEAD: read the status.
    Answer answer = call("HEAD", endpoint);
    if (answer.status() == 404) {
      return false;
    }
    if (answer.status() / 100 != 2) {
      throw new NodeError(answer.status(), "HEAD " + endpoint);
    }
    return true;
  }

  private static String text(String method, String endpoint, Response response) {
    try {
      return response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity());
    } catch (IOException | ParseException e) {
      throw new IllegalStateException("unreadable answer to " + method + " " + endpoint, e);
    }
  }

  @Override
  public void close() throws IOException {
    client.close();
  }

  /** The node answered with a status other than 2xx. */
  public static final class NodeError extends RuntimeException {
    private final int status;

    public NodeError(int status, String body) {
      super("HTTP " + status + ": " + body);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }
}
