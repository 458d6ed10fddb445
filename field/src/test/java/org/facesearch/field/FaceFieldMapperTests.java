package org.facesearch.field;

import static org.opensearch.test.hamcrest.OpenSearchAssertions.assertHitCount;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.store.ByteArrayDataInput;
import org.apache.lucene.util.BytesRef;
import org.facesearch.patches.PatchEncoding;
import org.facesearch.patches.PatchMap;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.common.xcontent.XContentFactory;
import org.opensearch.core.xcontent.MediaTypeRegistry;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.index.engine.Engine;
import org.opensearch.index.mapper.MapperParsingException;
import org.opensearch.index.mapper.Uid;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.index.shard.IndexShard;
import org.opensearch.indices.IndicesService;
import org.opensearch.plugins.Plugin;
import org.opensearch.search.aggregations.AggregationBuilders;
import org.opensearch.search.aggregations.bucket.terms.Terms;
import org.opensearch.search.sort.SortOrder;
import org.opensearch.test.OpenSearchSingleNodeTestCase;

/** The face field on a real in-JVM node: what it stores, what it refuses, and its sub-fields. */
public class FaceFieldMapperTests extends OpenSearchSingleNodeTestCase {

  @Override
  protected Collection<Class<? extends Plugin>> getPlugins() {
    return List.of(FieldTestPlugin.class);
  }

  private void createIndex(String index, String faceOptions) throws IOException {
    String mapping =
        "{\"properties\": {\"face\": {\"type\": \"face\", \"dims\": 8, \"patch_grid\": [2, 3], \"patch_dims\": 4"
            + faceOptions
            + "}, \"tag\": {\"type\": \"keyword\"}}}";
    client().admin().indices().prepareCreate(index).setMapping(mapping).get();
  }

  public void testStoresUnitEmbeddingPatchesAndSubFields() throws IOException {
    createIndex("faces", ", \"patch_encoding\": \"float32\"");
    Random random = new Random(42);
    PatchMap[] maps = new PatchMap[3];
    float[] ers = {0.2f, 0.9f, 0.6f};
    for (int i = 0; i < 3; i++) {
      maps[i] = FaceDocs.patches(random, 2, 3, 4);
      float[] embedding = FaceDocs.unitVector(random, 8);
      // Patches sent as float16 are re-encoded as the mapping's float32.
      byte[] sent = PatchEncoding.FLOAT16.encode(maps[i]);
      client()
          .prepareIndex("faces")
          .setId("d" + i)
          .setSource(
              FaceDocs.face("face", embedding, sent, ers[i], i == 1 ? "other@1" : "default@0.0.1"))
          .get();
    }
    client().admin().indices().prepareRefresh("faces").get();

    SearchResponse range =
        client()
            .prepareSearch("faces")
            .setQuery(QueryBuilders.rangeQuery("face.ers").gte(0.5))
            .get();
    assertHitCount(range, 2);
    SearchResponse sorted =
        client().prepareSearch("faces").addSort("face.ers", SortOrder.DESC).get();
    assertEquals("d1", sorted.getHits().getAt(0).getId());
    assertEquals("d2", sorted.getHits().getAt(1).getId());
    assertEquals("d0", sorted.getHits().getAt(2).getId());
    SearchResponse agg =
        client()
            .prepareSearch("faces")
            .setSize(0)
            .addAggregation(AggregationBuilders.terms("models").field("face.model"))
            .get();
    Terms models = agg.getAggregations().get("models");
    assertEquals(2, models.getBucketByKey("default@0.0.1").getDocCount());
    assertEquals(1, models.getBucketByKey("other@1").getDocCount());
    assertHitCount(
        client().prepareSearch("faces").setQuery(QueryBuilders.existsQuery("face")).get(), 3);

    // The doc values hold the mapping's encoding; values equal the float16 that was sent.
    IndexShard shard =
        getInstanceFromNode(IndicesService.class)
            .indexServiceSafe(resolveIndex("faces"))
            .getShard(0);
    try (Engine.Searcher searcher = shard.acquireSearcher("test")) {
      int seen = 0;
      for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
        BinaryDocValues values =
            FilterLeafReader.unwrap(leaf.reader()).getBinaryDocValues("face.patches");
        for (int doc = values.nextDoc();
            doc != BinaryDocValues.NO_MORE_DOCS;
            doc = values.nextDoc()) {
          String id =
              Uid.decodeId(
                  searcher.storedFields().document(leaf.docBase + doc).getBinaryValue("_id").bytes);
          BytesRef ref = values.binaryValue();
          ByteArrayDataInput in = new ByteArrayDataInput(ref.bytes, ref.offset, ref.length);
          assertEquals(1, in.readVInt());
          int length = in.readVInt();
          assertEquals(
              PatchEncoding.FLOAT32, PatchEncoding.of(ref.bytes, in.getPosition(), length));
          PatchMap stored = PatchEncoding.decode(ref.bytes, in.getPosition(), length);
          PatchMap expected =
              PatchEncoding.decode(
                  PatchEncoding.FLOAT16.encode(maps[Integer.parseInt(id.substring(1))]));
          assertArrayEquals(expected.cells(), stored.cells(), 0f);
          seen++;
        }
      }
      assertEquals(3, seen);
    }
  }

  public void testPatchesStayOutOfHitsUnlessAskedFor() throws IOException {
    String mapping =
        "{\"properties\": {\"face\": {\"type\": \"face\", \"dims\": 8, \"patch_grid\": [2, 3], \"patch_dims\": 4}}}";
    client()
        .admin()
        .indices()
        .prepareCreate("hidden")
        .setSettings(
            org.opensearch.common.settings.Settings.builder()
                .put("index.face.raw_features_readable", true))
        .setMapping(mapping)
        .get();
    Random random = new Random(7);
    PatchMap map = FaceDocs.patches(random, 2, 3, 4);
    client()
        .prepareIndex("hidden")
        .setId("1")
        .setRefreshPolicy("true")
        .setSource(
            FaceDocs.face(
                "face",
                FaceDocs.unitVector(random, 8),
                PatchEncoding.FLOAT16.encode(map),
                0.5f,
                "m"))
        .get();
    SearchResponse asked =
        client()
            .prepareSearch("hidden")
            .addDocValueField("face.patches")
            .setFetchSource(false)
            .get();
    Object value = asked.getHits().getAt(0).field("face.patches").getValue();
    byte[] bytes = java.util.Base64.getDecoder().decode(value.toString());
    assertArrayEquals(map.norms(), PatchEncoding.decode(bytes).norms(), 0f);
    SearchResponse plain = client().prepareSearch("hidden").setFetchSource(false).get();
    assertNull(plain.getHits().getAt(0).field("face.patches"));
  }

  public void testPatchesAreNotReadableWithoutTheIndexOptIn() throws IOException {
    createIndex("closed", "");
    Random random = new Random(8);
    client()
        .prepareIndex("closed")
        .setId("1")
        .setRefreshPolicy("true")
        .setSource(
            FaceDocs.face(
                "face",
                FaceDocs.unitVector(random, 8),
                PatchEncoding.FLOAT16.encode(FaceDocs.patches(random, 2, 3, 4)),
                0.5f,
                "m"))
        .get();
    Exception e =
        expectThrows(
            Exception.class,
            () ->
                client()
                    .prepareSearch("closed")
                    .addDocValueField("face.patches")
                    .setFetchSource(false)
                    .get());
    assertTrue(
        e.toString(),
        org.opensearch.ExceptionsHelper.stackTrace(e).contains("index.face.raw_features_readable"));
  }

  public void testBadValuesAreRefusedNamingTheFieldAndProblem() throws IOException {
    createIndex("bad", "");
    Random random = new Random(3);
    assertRefused(
        "must have 8 values, got 3", jsonObject("{\"face\": {\"embedding\": [1, 2, 3]}}"));
    assertRefused(
        "value [1] is not finite", jsonObject("{\"face\": [1, \"NaN\", 0, 0, 0, 0, 0, 0]}"));
    assertRefused(
        "value [0] is not finite", jsonObject("{\"face\": [\"Infinity\", 1, 0, 0, 0, 0, 0, 0]}"));
    assertRefused("all zeros", jsonObject("{\"face\": [0, 0, 0, 0, 0, 0, 0, 0]}"));
    assertRefused(
        "unknown key [embeding]",
        jsonObject("{\"face\": {\"embeding\": [1, 0, 0, 0, 0, 0, 0, 0]}}"));
    assertRefused(
        "[face.ers] must be between 0 and 1, got 1.5",
        jsonObject("{\"face\": {\"embedding\": [1, 0, 0, 0, 0, 0, 0, 0], \"ers\": 1.5}}"));
    assertRefused(
        "[face.patches] is not valid base64",
        jsonObject("{\"face\": {\"embedding\": [1, 0, 0, 0, 0, 0, 0, 0], \"patches\": \"%%%\"}}"));
    byte[] wrongShape = PatchEncoding.FLOAT16.encode(FaceDocs.patches(random, 3, 3, 4));
    assertRefused(
        "has shape [3x3x4] but the mapping says [2x3x4]",
        FaceDocs.face("face", FaceDocs.unitVector(random, 8), wrongShape, 0.5f, "m"));
    assertRefused(
        "holds one face per document",
        jsonObject(
            "{\"face\": [{\"embedding\": [1, 0, 0, 0, 0, 0, 0, 0]}, {\"embedding\": [1, 0, 0, 0, 0, 0, 0, 0]}]}"));
    // Nothing of the refused documents was indexed.
    client().admin().indices().prepareRefresh("bad").get();
    assertHitCount(client().prepareSearch("bad").get(), 0);
  }

  public void testEmbeddingIsStoredAtUnitLength() throws IOException {
    createIndex("scaled", "");
    client()
        .prepareIndex("scaled")
        .setId("1")
        .setRefreshPolicy("true")
        .setSource(jsonObject("{\"face\": [3, 4, 0, 0, 0, 0, 0, 0]}"))
        .get();
    IndexShard shard =
        getInstanceFromNode(IndicesService.class)
            .indexServiceSafe(resolveIndex("scaled"))
            .getShard(0);
    try (Engine.Searcher searcher = shard.acquireSearcher("test")) {
      var vectors =
          FilterLeafReader.unwrap(searcher.getIndexReader().leaves().get(0).reader())
              .getFloatVectorValues("face");
      float[] v = vectors.vectorValue(0);
      assertEquals(0.6f, v[0], 1e-6f);
      assertEquals(0.8f, v[1], 1e-6f);
    }
  }

  public void testMappingOptionsAreValidated() {
    assertMappingRefused("[dims] must be between 1 and 1024, got [0]", ", \"dims\": 0");
    assertMappingRefused("patch_encoding", ", \"patch_encoding\": \"bf16\"");
    assertMappingRefused("embedding_encoding", ", \"embedding_encoding\": \"int4\"");
    assertMappingRefused("[hnsw] has an unknown option [ef]", ", \"hnsw\": {\"ef\": 10}");
    assertMappingRefused("[hnsw.m] must be between 2 and 512, got [1]", ", \"hnsw\": {\"m\": 1}");
    assertMappingRefused("[patch_grid] must be [rows, cols]", ", \"patch_grid\": [7]");
    assertMappingRefused("unknown parameter [colour]", ", \"colour\": \"red\"");
  }

  public void testHnswOptionsNeedTheFaceCodec() {
    Exception e =
        expectThrows(
            Exception.class,
            () ->
                client()
                    .admin()
                    .indices()
                    .prepareCreate("knn")
                    .setSettings(
                        org.opensearch.common.settings.Settings.builder()
                            .put("index.face.codec", false))
                    .setMapping(
                        "{\"properties\": {\"face\": {\"type\": \"face\", \"hnsw\": {\"m\": 8}}}}")
                    .get());
    assertTrue(e.getMessage(), rootMessage(e).contains("need the face codec"));
  }

  private void assertMappingRefused(String expected, String options) {
    Exception e =
        expectThrows(
            Exception.class,
            () ->
                client()
                    .admin()
                    .indices()
                    .prepareCreate("m" + randomAlphaOfLength(6).toLowerCase(java.util.Locale.ROOT))
                    .setMapping("{\"properties\": {\"face\": {\"type\": \"face\"" + options + "}}}")
                    .get());
    assertTrue(
        "'" + rootMessage(e) + "' should contain '" + expected + "'",
        rootMessage(e).contains(expected));
  }

  private void assertRefused(String expected, XContentBuilder source) {
    MapperParsingException e =
        expectThrows(
            MapperParsingException.class,
            () -> client().prepareIndex("bad").setSource(source).get());
    String message = e.getMessage() + " / " + rootMessage(e);
    assertTrue("'" + message + "' should contain '" + expected + "'", message.contains(expected));
    assertEquals(400, e.status().getStatus());
  }

  private static String rootMessage(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append(" | ");
    }
    return all.toString();
  }

  private static XContentBuilder jsonObject(String json) throws IOException {
    XContentBuilder b = XContentFactory.jsonBuilder();
    try (var parser =
        MediaTypeRegistry.JSON
            .xContent()
            .createParser(
                org.opensearch.core.xcontent.NamedXContentRegistry.EMPTY,
                org.opensearch.core.xcontent.DeprecationHandler.THROW_UNSUPPORTED_OPERATION,
                json)) {
      b.copyCurrentStructure(parser);
    }
    return b;
  }
}
