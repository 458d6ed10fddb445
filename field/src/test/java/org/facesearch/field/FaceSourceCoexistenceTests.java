package org.facesearch.field;

import static org.opensearch.test.hamcrest.OpenSearchAssertions.assertAcked;

import java.io.IOException;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentReader;
import org.apache.lucene.search.join.ScoreMode;
import org.apache.lucene.util.BytesRef;
import org.facesearch.field.codec.FaceCodec;
import org.facesearch.field.codec.FaceIndexSettings;
import org.facesearch.patches.PatchEncoding;
import org.opensearch.action.bulk.BulkResponse;
import org.opensearch.action.get.GetResponse;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.action.support.WriteRequest;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.XContentFactory;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.index.engine.Engine;
import org.opensearch.index.mapper.SourceFieldMapper;
import org.opensearch.index.query.InnerHitBuilder;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.index.reindex.BulkByScrollResponse;
import org.opensearch.index.reindex.ReindexAction;
import org.opensearch.index.reindex.ReindexModulePlugin;
import org.opensearch.index.reindex.ReindexRequestBuilder;
import org.opensearch.index.reindex.UpdateByQueryAction;
import org.opensearch.index.reindex.UpdateByQueryRequestBuilder;
import org.opensearch.index.shard.IndexShard;
import org.opensearch.indices.IndicesService;
import org.opensearch.plugins.Plugin;
import org.opensearch.search.aggregations.AggregationBuilders;
import org.opensearch.test.OpenSearchIntegTestCase;

/**
 * Faces' derived source beside another plugin that wraps every index's readers, as the security
 * plugin does ({@link ReaderWrapperTestPlugin}: it hides a {@code secret} field from every {@code
 * _source}). OpenSearch allows one reader wrapper per index, so the face plugin must not take it.
 * Checked: an index with face fields (nested ones too) is created; hits, inner hits, {@code
 * top_hits}, source filtering and GET show no vectors while the other wrapper's filtering holds;
 * reindex, update (from a segment and from the translog), bulk update and update by query keep
 * every face whole (the embeddings and patch bytes that were sent, compared through a reindex into
 * a copy that keeps vectors in {@code _source}); the same on both copies of the shard after a full
 * restart, when Lucene opens the segments by the codec name they record.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.TEST, numDataNodes = 2)
public class FaceSourceCoexistenceTests extends OpenSearchIntegTestCase {

  private static final String FACE =
      "{\"type\": \"face\", \"dims\": 8, \"patch_grid\": [2, 3], \"patch_dims\": 4, "
          + "\"patch_encoding\": \"float32\"%s}";

  private record Face(float[] embedding, byte[] patches) {}

  private final Random random = new Random(42);

  /** Per document id: its root face, then the faces of its nested people, in order. */
  private final Map<String, List<Face>> sent = new HashMap<>();

  private int copies;

  @Override
  protected Collection<Class<? extends Plugin>> nodePlugins() {
    return List.of(FieldTestPlugin.class, ReaderWrapperTestPlugin.class, ReindexModulePlugin.class);
  }

  private static String mapping(String faceOptions) {
    String face = String.format(java.util.Locale.ROOT, FACE, faceOptions);
    return "{\"properties\": {\"face\": "
        + face
        + ", \"tag\": {\"type\": \"keyword\"}, \"secret\": {\"type\": \"keyword\"}, "
        + "\"people\": {\"type\": \"nested\", \"properties\": {\"face\": "
        + face
        + ", \"note\": {\"type\": \"keyword\"}}}}}";
  }

  private Face face() {
    return new Face(
        FaceDocs.unitVector(random, 8),
        PatchEncoding.FLOAT32.encode(FaceDocs.patches(random, 2, 3, 4)));
  }

  private static void face(XContentBuilder b, String name, Face face) throws IOException {
    b.startObject(name)
        .array("embedding", face.embedding())
        .field("patches", Base64.getEncoder().encodeToString(face.patches()))
        .field("ers", 0.5f)
        .array("box", 1, 2, 3, 4)
        .endObject();
  }

  /** A document with a root face and two people with faces around one without. */
  private void index(String id, WriteRequest.RefreshPolicy refresh) throws IOException {
    List<Face> faces = List.of(face(), face(), face());
    XContentBuilder b =
        XContentFactory.jsonBuilder()
            .startObject()
            .field("tag", "a")
            .field(ReaderWrapperTestPlugin.HIDDEN, "s3cr3t-" + id);
    face(b, "face", faces.get(0));
    b.startArray("people");
    b.startObject().field("note", "first");
    face(b, "face", faces.get(1));
    b.endObject();
    b.startObject().field("note", "no face").endObject();
    b.startObject().field("note", "third");
    face(b, "face", faces.get(2));
    b.endObject();
    b.endArray().endObject();
    client().prepareIndex("faces").setId(id).setSource(b).setRefreshPolicy(refresh).get();
    sent.put(id, faces);
  }

  /**
   * No embedding, no patch map, no patch bytes of any face sent, and not the hidden field either.
   */
  private void assertHidden(String what, String text) {
    assertFalse(what + " shows an embedding: " + text, text.contains("\"embedding\""));
    assertFalse(what + " shows a patch map: " + text, text.contains("\"patches\""));
    for (List<Face> faces : sent.values()) {
      for (Face face : faces) {
        assertFalse(
            what + " shows patch bytes",
            text.contains(Base64.getEncoder().encodeToString(face.patches()).substring(0, 16)));
      }
    }
  }

  /**
   * Every document's faces, as the index holds them: reindexed into a copy that keeps vectors in
   * _source.
   */
  @SuppressWarnings("unchecked")
  private Map<String, Map<String, Object>> wholeCopy() {
    String copy = "copy-" + (copies++);
    client()
        .admin()
        .indices()
        .prepareCreate(copy)
        .setMapping(mapping(", \"source_vectors\": true"))
        .get();
    BulkByScrollResponse reindexed =
        new ReindexRequestBuilder(client(), ReindexAction.INSTANCE)
            .source("faces")
            .destination(copy)
            .refresh(true)
            .get();
    assertEquals(reindexed.getBulkFailures().toString(), 0, reindexed.getBulkFailures().size());
    assertEquals(sent.size(), reindexed.getCreated());
    SearchResponse all = client().prepareSearch(copy).setSize(100).get();
    Map<String, Map<String, Object>> out = new HashMap<>();
    all.getHits().forEach(hit -> out.put(hit.getId(), hit.getSourceAsMap()));
    assertEquals(sent.keySet(), out.keySet());
    return out;
  }

  @SuppressWarnings("unchecked")
  private void assertWhole(Map<String, Map<String, Object>> copy) {
    for (Map.Entry<String, List<Face>> doc : sent.entrySet()) {
      Map<String, Object> source = copy.get(doc.getKey());
      assertFalse(
          "the other plugin's wrapper read beneath reindex too",
          source.containsKey(ReaderWrapperTestPlugin.HIDDEN));
      List<Map<String, Object>> people = (List<Map<String, Object>>) source.get("people");
      assertEquals(3, people.size());
      assertFalse(people.get(1).containsKey("face"));
      assertFace(
          doc.getKey() + " root", doc.getValue().get(0), (Map<String, Object>) source.get("face"));
      assertFace(
          doc.getKey() + " first",
          doc.getValue().get(1),
          (Map<String, Object>) people.get(0).get("face"));
      assertFace(
          doc.getKey() + " third",
          doc.getValue().get(2),
          (Map<String, Object>) people.get(2).get("face"));
    }
  }

  private static void assertFace(String what, Face expected, Map<String, Object> face) {
    List<?> embedding = (List<?>) face.get("embedding");
    assertNotNull(what + " has its embedding back", embedding);
    float[] values = new float[embedding.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = ((Number) embedding.get(i)).floatValue();
    }
    assertArrayEquals(what, expected.embedding(), values, 1e-6f);
    assertEquals(what, Base64.getEncoder().encodeToString(expected.patches()), face.get("patches"));
    assertEquals(0.5, ((Number) face.get("ers")).doubleValue(), 0);
  }

  private void assertReadsHideVectors() {
    SearchResponse hits = client().prepareSearch("faces").get();
    assertEquals(sent.size(), hits.getHits().getTotalHits().value());
    assertHidden("hits", hits.toString());
    assertFalse(
        "the other plugin's wrapper hides its field: " + hits, hits.toString().contains("s3cr3t"));
    hits.getHits()
        .forEach(
            hit -> assertEquals(0.5, ((Map<?, ?>) hit.getSourceAsMap().get("face")).get("ers")));
    assertHidden(
        "source filtering",
        client()
            .prepareSearch("faces")
            .setFetchSource(
                new String[] {"face.embedding", "people.face.patches", "face.ers"}, null)
            .get()
            .toString());
    assertHidden(
        "inner hits",
        client()
            .prepareSearch("faces")
            .setQuery(
                QueryBuilders.nestedQuery(
                        "people", QueryBuilders.existsQuery("people.face"), ScoreMode.None)
                    .innerHit(new InnerHitBuilder()))
            .get()
            .toString());
    assertHidden(
        "top_hits",
        client()
            .prepareSearch("faces")
            .setSize(0)
            .addAggregation(
                AggregationBuilders.terms("tags")
                    .field("tag")
                    .subAggregation(AggregationBuilders.topHits("top").size(10)))
            .get()
            .toString());
    for (String id : sent.keySet()) {
      GetResponse get = client().prepareGet("faces", id).get();
      assertTrue(get.isExists());
      assertHidden("GET", get.getSourceAsString());
    }
    assertHidden(
        "mget",
        client()
            .prepareMultiGet()
            .add("faces", sent.keySet())
            .get()
            .getResponses()[0]
            .getResponse()
            .getSourceAsString());
  }

  private void createFaces(Settings.Builder codec) {
    assertAcked(
        prepareCreate("faces")
            .setSettings(
                Settings.builder()
                    .put("index.number_of_shards", 1)
                    .put("index.number_of_replicas", 1)
                    .put(codec.build()))
            .setMapping(mapping("")));
    ensureGreen("faces");
  }

  /** Indexing, reads, reindex and every kind of update, checked as they go. */
  private void indexReadAndUpdate() throws IOException {
    index("1", WriteRequest.RefreshPolicy.NONE);
    index("2", WriteRequest.RefreshPolicy.IMMEDIATE);
    assertReadsHideVectors();
    assertWhole(wholeCopy());

    // Updates: from a segment, from the translog (a document not refreshed yet), in a bulk, by
    // query.
    client().prepareUpdate("faces", "1").setDoc(Map.of("tag", "b")).get();
    index("3", WriteRequest.RefreshPolicy.NONE);
    client().prepareUpdate("faces", "3").setDoc(Map.of("tag", "c")).get();
    BulkResponse bulk =
        client()
            .prepareBulk()
            .add(client().prepareUpdate("faces", "2").setDoc(Map.of("tag", "d")))
            .setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE)
            .get();
    assertFalse(bulk.buildFailureMessage(), bulk.hasFailures());
    BulkByScrollResponse byQuery =
        new UpdateByQueryRequestBuilder(client(), UpdateByQueryAction.INSTANCE)
            .source("faces")
            .refresh(true)
            .get();
    assertEquals(3, byQuery.getUpdated());
    assertReadsHideVectors();
    assertWhole(wholeCopy());
    assertEquals("b", client().prepareGet("faces", "1").get().getSourceAsMap().get("tag"));
  }

  public void testFacesStayWholeAndHiddenBesideAnotherReaderWrapper() throws Exception {
    // The test framework otherwise picks a codec the face codec does not serve.
    createFaces(Settings.builder().put("index.codec", randomFrom(FaceIndexSettings.CODECS)));
    indexReadAndUpdate();
    assertSegments(true);

    // Every segment opened from disk, on both copies: Lucene makes the codec from its recorded
    // name.
    internalCluster().fullRestart();
    ensureGreen("faces");
    assertSegments(true);
    assertReadsHideVectors();
    client()
        .prepareUpdate("faces", "2")
        .setDoc(Map.of("tag", "e"))
        .setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE)
        .get();
    assertWhole(wholeCopy());
    client().admin().indices().prepareForceMerge("faces").setMaxNumSegments(1).get();
    client().admin().indices().prepareRefresh("faces").get();
    assertSegments(true);
    assertReadsHideVectors();
    assertWhole(wholeCopy());
  }

  /**
   * An index the face codec does not write ({@code index.face.codec: false}, or a codec it does not
   * serve) keeps the vectors in its stored {@code _source}: reindex and updates read them there,
   * and hits and GETs lose them on the way out.
   */
  public void testWithoutTheFaceCodecVectorsStayInTheStoredSourceAndOutOfAnswers()
      throws Exception {
    createFaces(
        randomBoolean()
            ? Settings.builder()
                .put("index.face.codec", false)
                .put("index.codec", randomFrom(FaceIndexSettings.CODECS))
            : Settings.builder().put("index.codec", "lucene_default"));
    indexReadAndUpdate();
    assertSegments(false);
  }

  /**
   * Whether every segment of both copies is the face codec's, whose stored {@code _source} lacks
   * the vectors, or not, when it holds them; read below every reader wrapper.
   */
  private void assertSegments(boolean faceCodec) throws IOException {
    for (IndicesService indices : internalCluster().getDataNodeInstances(IndicesService.class)) {
      IndexShard shard = indices.indexServiceSafe(resolveIndex("faces")).getShard(0);
      try (Engine.Searcher searcher = shard.acquireSearcher("test")) {
        assertFalse(searcher.getIndexReader().leaves().isEmpty());
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
          SegmentReader segment = (SegmentReader) FilterLeafReader.unwrap(leaf.reader());
          assertEquals(
              faceCodec, FaceCodec.NAME.equals(segment.getSegmentInfo().info.getCodec().getName()));
          for (int doc = 0; doc < segment.maxDoc(); doc++) {
            BytesRef source =
                segment.storedFields().document(doc).getBinaryValue(SourceFieldMapper.NAME);
            if (source != null) { // every version of every document, soft-deleted ones too
              String stored = source.utf8ToString();
              assertEquals(stored, !faceCodec, stored.contains("\"embedding\""));
            }
          }
        }
      }
    }
  }
}
