package org.facesearch.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON for the node's requests and answers: one mapper, trees, a generator for large bodies. */
public final class Json {
  /** Writes doubles with the fast writer: bulk bodies of vectors are mostly numbers. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

  private Json() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** Parses JSON text written in source code (mappings, settings). */
  public static ObjectNode parse(String json) {
    try {
      return (ObjectNode) MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("bad JSON: " + json, e);
    }
  }

  /** Parses a node's answer. */
  public static JsonNode parse(byte[] json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("the node answered with something that is not JSON", e);
    }
  }

  /** The text as a JSON tree, or as a text node when it is not JSON. */
  static JsonNode parseOrText(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException notJson) {
      return MAPPER.getNodeFactory().textNode(text);
    }
  }

  public static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonGenerator generator(ByteArrayOutputStream out) {
    try {
      return MAPPER.getFactory().createGenerator(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void writeArray(JsonGenerator g, float[] v) throws IOException {
    g.writeStartArray();
    for (float x : v) {
      g.writeNumber(x);
    }
    g.writeEndArray();
  }

  /** A required value at a JSON pointer; its absence is an error naming the pointer. */
  public static JsonNode at(JsonNode node, String pointer) {
    JsonNode v = node.at(pointer);
    if (v.isMissingNode()) {
      throw new IllegalStateException("the node's answer has no " + pointer + ": " + node);
    }
    return v;
  }
}
