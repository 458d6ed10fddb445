package org.facesearch.bench.node;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.reactor.IOSession;
import org.apache.hc.core5.util.Timeout;
import org.opensearch.client.Request;
import org.opensearch.client.Response;
import org.opensearch.client.RestClient;

/**
 * One OpenSearch node on 127.0.0.1 (never another host). Every call either returns the 2xx answer
 * or throws: the low-level client raises {@code ResponseException} for any other status.
 */
final class Node implements Closeable {
    static final ContentType NDJSON = ContentType.create("application/x-ndjson");

    private final int port;
    private final Long pid;
    private final RestClient client;

    private Node(int port, Long pid) {
        this.port = port;
        this.pid = pid;
        this.client = RestClient.builder(new HttpHost("http", "127.0.0.1", port))
            // Force-merging 100,000 vectors and big bulk requests take minutes on 2 cores.
            .setRequestConfigCallback(c -> c.setResponseTimeout(Timeout.ofMinutes(30)).setConnectTimeout(Timeout.ofSeconds(10)))
            .setHttpClientConfigCallback(b -> b.setIoSessionDecorator(Node::noDelay))
            .build();
    }

    /**
     * Turns Nagle's algorithm off on each new connection. httpcore5 5.4 (under the 3.6.0 client)
     * applies IOReactorConfig's TCP_NODELAY only when the socket already has a remote address,
     * which it never has before connecting, so it is never set; the client writes the headers and
     * the body of a request separately, and any body over about 1 KB then waits for the server's
     * delayed ACK: about 40 ms added to every search with an embedding or a photo.
     */
    private static IOSession noDelay(IOSession session) {
        if (!(session.channel() instanceof SocketChannel socket)) {
            throw new IllegalStateException("expected a TCP connection, got " + session.channel().getClass().getName());
        }
        try {
            socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set TCP_NODELAY", e);
        }
        return session;
    }

    /** {@code --port N}, or {@code --home DIR} whose {@code http.port} file scripts/node.sh wrote. */
    static Node connect(Args args) throws IOException {
        String port = args.stringOrNull("port");
        String home = args.stringOrNull("home");
        if ((port == null) == (home == null)) {
            throw new IllegalArgumentException("give exactly one of --port N and --home NODE_HOME (the folder scripts/node.sh was started with)");
        }
        if (home != null) {
            Path file = Path.of(home).resolve("http.port");
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(file + " does not exist: is the node of --home " + home + " running?");
            }
            port = Files.readString(file, StandardCharsets.US_ASCII).trim();
        }
        Long pid = null;
        if (home != null && Files.isRegularFile(Path.of(home).resolve("node.pid"))) {
            pid = Long.parseLong(Files.readString(Path.of(home).resolve("node.pid"), StandardCharsets.US_ASCII).trim());
        }
        Node node = new Node(Integer.parseInt(port), pid);
        JsonNode info = node.get("/");
        System.out.printf(Locale.ROOT, "node: 127.0.0.1:%s, OpenSearch %s%n", port, Json.at(info, "/version/number").asText());
        return node;
    }

    int port() {
        return port;
    }

    /** The node's process id (from scripts/node.sh's node.pid), or null when connected by --port. */
    Long pid() {
        return pid;
    }

    JsonNode get(String path) throws IOException {
        return Json.parse(send("GET", path, null, null));
    }

    JsonNode delete(String path) throws IOException {
        return Json.parse(send("DELETE", path, null, null));
    }

    JsonNode put(String path, JsonNode body) throws IOException {
        return Json.parse(send("PUT", path, Json.bytes(body), ContentType.APPLICATION_JSON));
    }

    JsonNode post(String path, JsonNode body) throws IOException {
        return Json.parse(send("POST", path, body == null ? null : Json.bytes(body), ContentType.APPLICATION_JSON));
    }

    /** The raw answer of one request; a status other than 2xx throws. */
    byte[] send(String method, String path, byte[] body, ContentType type) throws IOException {
        Request request = new Request(method, path);
        if (body != null) {
            request.setEntity(new ByteArrayEntity(body, type));
        }
        Response response = client.performRequest(request);
        return EntityUtils.toByteArray(response.getEntity());
    }

    /** Deletes the index when it exists. */
    void deleteIndex(String index) throws IOException {
        // HEAD answers 200 or 404 (the client does not treat a 404 to HEAD as an error).
        int status = client.performRequest(new Request("HEAD", "/" + index)).getStatusLine().getStatusCode();
        if (status == 200) {
            delete("/" + index);
        } else if (status != 404) {
            throw new IOException("HEAD /" + index + " answered " + status);
        }
    }

    /**
     * A setting's effective value on this node: cluster-level updates first, then the node's own
     * configuration (opensearch.yml), then the default (e.g. plugins.face.inference.threads).
     */
    String setting(String name) throws IOException {
        JsonNode all = get("/_cluster/settings?include_defaults=true&flat_settings=true");
        for (String section : new String[] {"transient", "persistent"}) {
            JsonNode v = all.path(section).path(name);
            if (!v.isMissingNode()) {
                return v.asText();
            }
        }
        JsonNode nodes = Json.at(get("/_nodes/_local/settings?flat_settings=true"), "/nodes");
        for (JsonNode node : nodes) {
            JsonNode v = node.path("settings").path(name);
            if (!v.isMissingNode()) {
                return v.asText();
            }
        }
        JsonNode v = all.path("defaults").path(name);
        if (!v.isMissingNode()) {
            return v.asText();
        }
        throw new IllegalStateException("the node does not know the setting [" + name + "]");
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
