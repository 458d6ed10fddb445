package org.facesearch.bench.node;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.facesearch.cli.Json;

/**
 * One index of the stage-1 comparison: a {@code face} field or the k-NN plugin's {@code knn_vector}
 * field (Lucene engine), both named {@code v}, one shard, HNSW with the same m and ef_construction.
 * Documents are the same bare float arrays for both. {@code excludeSource}: keep the vector out of
 * the stored {@code _source} (k-NN 3.x does so by itself for {@code knn_vector} fields: derived
 * source).
 */
record VectorIndex(String name, String label, Kind kind, String encoding, boolean excludeSource) {
  enum Kind {
    FACE,
    KNN
  }

  ObjectNode createBody(int dims, int m, int efConstruction) {
    ObjectNode body =
        Json.parse(
            """
            {"settings": {"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": "-1", "store.stats_refresh_interval": "0s"}}\
            """);
    ObjectNode field = Json.object();
    if (kind == Kind.FACE) {
      field.put("type", "face").put("dims", dims).put("embedding_encoding", encoding);
      field.putObject("hnsw").put("m", m).put("ef_construction", efConstruction);
    } else {
      ((ObjectNode) body.get("settings")).put("index.knn", true);
      field.put("type", "knn_vector").put("dimension", dims);
      ObjectNode method =
          field
              .putObject("method")
              .put("name", "hnsw")
              .put("space_type", encoding)
              .put("engine", "lucene");
      method.putObject("parameters").put("m", m).put("ef_construction", efConstruction);
    }
    ObjectNode mappings = body.putObject("mappings");
    if (excludeSource) {
      mappings.putObject("_source").putArray("excludes").add("v");
    }
    mappings.putObject("properties").set("v", field);
    return body;
  }

  /**
   * A search for the {@code k} nearest with {@code candidates} explored: face {@code
   * num_candidates}, k-NN {@code ef_search}.
   */
  byte[] query(float[] vector, int k, int candidates) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = Json.generator(out)) {
      g.writeStartObject();
      g.writeNumberField("size", k);
      g.writeBooleanField("_source", false);
      g.writeObjectFieldStart("query");
      if (kind == Kind.FACE) {
        g.writeObjectFieldStart("face");
        g.writeStringField("field", "v");
        g.writeFieldName("embedding");
        Json.writeArray(g, vector);
        g.writeNumberField("k", k);
        g.writeNumberField("num_candidates", candidates);
        g.writeEndObject();
      } else {
        g.writeObjectFieldStart("knn");
        g.writeObjectFieldStart("v");
        g.writeFieldName("vector");
        Json.writeArray(g, vector);
        g.writeNumberField("k", k);
        g.writeObjectFieldStart("method_parameters");
        g.writeNumberField("ef_search", candidates);
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
