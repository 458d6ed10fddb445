package org.facesearch.bench.node;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON for the node benchmarks: one mapper, trees for requests and answers, a generator for bulk bodies. */
final class Json {
    static final ObjectMapper MAPPER = JsonMapper.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

    private Json() {}

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Parses JSON text written in this class's source code (mappings, settings). */
    static ObjectNode parse(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("bad JSON in the benchmark: " + json, e);
        }
    }

    static JsonNode parse(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("the node answered with something that is not JSON", e);
        }
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonGenerator generator(ByteArrayOutputStream out) {
        try {
            return MAPPER.getFactory().createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeArray(JsonGenerator g, float[] v) throws IOException {
        g.writeStartArray();
        for (float x : v) {
            g.writeNumber(x);
        }
        g.writeEndArray();
    }

    /** A required value at a JSON pointer; its absence is an error naming the pointer. */
    static JsonNode at(JsonNode node, String pointer) {
        JsonNode v = node.at(pointer);
        if (v.isMissingNode()) {
            throw new IllegalStateException("the node's answer has no " + pointer + ": " + node);
        }
        return v;
    }
}
