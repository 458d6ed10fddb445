package org.facesearch.field;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.BytesRef;
import org.facesearch.patches.PatchEncoding;
import org.facesearch.patches.PatchMap;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.routing.ShardRouting;
import org.opensearch.common.settings.Settings;
import org.opensearch.index.engine.Engine;
import org.opensearch.index.mapper.IdFieldMapper;
import org.opensearch.index.mapper.Uid;
import org.opensearch.index.shard.IndexShard;
import org.opensearch.indices.IndicesService;
import org.opensearch.plugins.Plugin;
import org.opensearch.test.OpenSearchIntegTestCase;

/**
 * Replicas of an index whose faces' vectors stay out of {@code _source}: a replica made by peer
 * recovery (segment files, then the operations indexed meanwhile from {@code _recovery_source}) and
 * one kept by replication both hold every face, and after the primary's node stops the promoted
 * replica updates a document without losing its face.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.TEST, numDataNodes = 2)
public class FaceSourceReplicaTests extends OpenSearchIntegTestCase {

  private static final int DOCS = 12;

  @Override
  protected Collection<Class<? extends Plugin>> nodePlugins() {
    return List.of(FieldTestPlugin.class);
  }

  public void testReplicasRecoverAndKeepEveryFace() throws Exception {
    String mapping =
        "{\"properties\": {\"face\": {\"type\": \"face\", \"dims\": 8, \"patch_grid\": [2, 3], \"patch_dims\": 4, "
            + "\"patch_encoding\": \"float32\"}, \"tag\": {\"type\": \"keyword\"}}}";
    client()
        .admin()
        .indices()
        .prepareCreate("faces")
        .setSettings(
            Settings.builder().put("index.number_of_shards", 1).put("index.number_of_replicas", 0))
        .setMapping(mapping)
        .get();
    ensureGreen("faces");
    Random random = new Random(11);
    float[][] embeddings = new float[DOCS][];
    PatchMap[] patches = new PatchMap[DOCS];
    for (int i = 0; i < DOCS; i++) {
      embeddings[i] = FaceDocs.unitVector(random, 8);
      patches[i] = FaceDocs.patches(random, 2, 3, 4);
    }
    // Half before the replica exists (it gets their segments), half while it recovers or after
    // (operations).
    for (int i = 0; i < DOCS / 2; i++) {
      index(i, embeddings[i], patches[i]);
    }
    client().admin().indices().prepareRefresh("faces").get();
    client()
        .admin()
        .indices()
        .prepareUpdateSettings("faces")
        .setSettings(Settings.builder().put("index.number_of_replicas", 1))
        .get();
    for (int i = DOCS / 2; i < DOCS; i++) {
      index(i, embeddings[i], patches[i]);
    }
    ensureGreen("faces");
    client().admin().indices().prepareRefresh("faces").get();

    ClusterState recovered = client().admin().cluster().prepareState().get().getState();
    List<ShardRouting> copies = recovered.routingTable().index("faces").shard(0).assignedShards();
    assertEquals(2, copies.size());
    for (ShardRouting copy : copies) {
      for (int i = 0; i < DOCS; i++) {
        assertFace(shard(recovered, copy), i, embeddings[i], patches[i]);
      }
    }
    Map<String, Object> face =
        (Map<String, Object>) client().prepareGet("faces", "3").get().getSourceAsMap().get("face");
    assertNull("GET shows no embedding", face.get("embedding"));

    // The primary's node goes; the replica is promoted and updates a document from its own
    // segments.
    ClusterState state = client().admin().cluster().prepareState().get().getState();
    ShardRouting primary = state.routingTable().index("faces").shard(0).primaryShard();
    String primaryNode = state.nodes().get(primary.currentNodeId()).getName();
    internalCluster()
        .stopRandomNode(org.opensearch.test.InternalTestCluster.nameFilter(primaryNode));
    ensureYellow("faces");
    client()
        .prepareUpdate("faces", "3")
        .setDoc(Map.of("tag", "updated"))
        .setRefreshPolicy("true")
        .get();
    ClusterState after = client().admin().cluster().prepareState().get().getState();
    IndexShard promoted = shard(after, after.routingTable().index("faces").shard(0).primaryShard());
    assertTrue(promoted.routingEntry().primary());
    assertFace(promoted, 3, embeddings[3], patches[3]);
    assertEquals("updated", client().prepareGet("faces", "3").get().getSourceAsMap().get("tag"));
  }

  private IndexShard shard(ClusterState state, ShardRouting copy) {
    String node = state.nodes().get(copy.currentNodeId()).getName();
    return internalCluster()
        .getInstance(IndicesService.class, node)
        .indexServiceSafe(resolveIndex("faces"))
        .getShard(0);
  }

  private void index(int i, float[] embedding, PatchMap patches) throws IOException {
    client()
        .prepareIndex("faces")
        .setId(Integer.toString(i))
        .setSource(
            FaceDocs.face("face", embedding, PatchEncoding.FLOAT32.encode(patches), 0.5f, "m"))
        .get();
  }

  /** Reads document {@code i}'s face from this shard copy's own segments. */
  private static void assertFace(IndexShard shard, int i, float[] embedding, PatchMap patches)
      throws IOException {
    try (Engine.Searcher searcher = shard.acquireSearcher("test")) {
      TopDocs hits =
          searcher.search(
              new TermQuery(new Term(IdFieldMapper.NAME, Uid.encodeId(Integer.toString(i)))), 1);
      assertEquals(shard.routingEntry() + " holds document " + i, 1, hits.scoreDocs.length);
      int doc = hits.scoreDocs[0].doc;
      LeafReaderContext leaf =
          searcher
              .getIndexReader()
              .leaves()
              .get(
                  org.apache.lucene.index.ReaderUtil.subIndex(
                      doc, searcher.getIndexReader().leaves()));
      FaceLayout.StoredFaces faces = FaceLayout.read(leaf.reader(), "face");
      float[] stored = faces.embedding(doc - leaf.docBase);
      assertNotNull(shard.routingEntry() + " has the embedding of " + i, stored);
      assertArrayEquals(embedding, stored, 1e-6f);
      BytesRef encoded = faces.encodedPatches(doc - leaf.docBase);
      assertNotNull(encoded);
      assertArrayEquals(
          patches.cells(),
          PatchEncoding.decode(encoded.bytes, encoded.offset, encoded.length).cells(),
          0f);
    }
  }
}
