package org.facesearch.field.codec;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.hnsw.HnswGraphProvider;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentInfo;
import org.apache.lucene.index.SegmentReader;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.hnsw.HnswGraph;
import org.facesearch.field.FieldTestPlugin;
import org.facesearch.field.vectors.Int8HnswFormat;
import org.opensearch.action.bulk.BulkRequestBuilder;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.XContentFactory;
import org.opensearch.index.engine.Engine;
import org.opensearch.index.shard.IndexShard;
import org.opensearch.indices.IndicesService;
import org.opensearch.plugins.Plugin;
import org.opensearch.test.OpenSearchIntegTestCase;

/**
 * The face codec on real in-JVM nodes: the HNSW parameters and the int8 encoding of a face mapping
 * reach the segments, and such segments survive a force-merge and a full node restart.
 */
@OpenSearchIntegTestCase.ClusterScope(
    scope = OpenSearchIntegTestCase.Scope.TEST,
    numDataNodes = 1,
    numClientNodes = 0)
public class FaceCodecTests extends OpenSearchIntegTestCase {

  private static final int DIMS = 16;
  // Lucene skips the graph for tiny segments (log(n) * 100 visits >= n); 2000 vectors get one.
  private static final int DOCS = 2000;

  @Override
  protected Collection<Class<? extends Plugin>> nodePlugins() {
    return List.of(FieldTestPlugin.class);
  }

  private void indexRandomFaces(String index, String faceOptions) throws IOException {
    indexRandomFaces(index, DIMS, faceOptions);
  }

  private void indexRandomFaces(String index, int dims, String faceOptions) throws IOException {
    prepareCreate(index)
        .setSettings(
            Settings.builder()
                .put("index.number_of_shards", 1)
                .put("index.number_of_replicas", 0)
                // The test framework otherwise picks a random codec; the face codec serves the
                // default ones.
                .put("index.codec", randomFrom(FaceIndexSettings.CODECS)))
        .setMapping(
            "{\"properties\": {\"face\": {\"type\": \"face\", \"dims\": "
                + dims
                + faceOptions
                + "}}}")
        .get();
    Random random = new Random(11);
    BulkRequestBuilder bulk = client().prepareBulk();
    for (int i = 0; i < DOCS; i++) {
      float[] v = new float[dims];
      for (int j = 0; j < dims; j++) {
        v[j] = (float) random.nextGaussian();
      }
      bulk.add(
          client()
              .prepareIndex(index)
              .setId(Integer.toString(i))
              .setSource(XContentFactory.jsonBuilder().startObject().array("face", v).endObject()));
    }
    assertFalse(bulk.get().hasFailures());
    client().admin().indices().prepareForceMerge(index).setMaxNumSegments(1).get();
    client().admin().indices().prepareRefresh(index).get();
  }

  /** The vector format recorded for the face field and the largest level-0 neighbour list. */
  private record SegmentFacts(
      String format, int maxLevel0Neighbours, int vectors, long quantizedBytes) {}

  private SegmentFacts segmentFacts(String index) throws IOException {
    IndicesService indices = internalCluster().getDataNodeInstance(IndicesService.class);
    IndexShard shard = indices.indexServiceSafe(resolveIndex(index)).getShard(0);
    try (Engine.Searcher searcher = shard.acquireSearcher("test")) {
      List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
      assertEquals("force-merged to one segment", 1, leaves.size());
      SegmentReader segment = (SegmentReader) FilterLeafReader.unwrap(leaves.get(0).reader());
      FieldInfo info = segment.getFieldInfos().fieldInfo("face");
      String format = info.getAttribute(PerFieldKnnVectorsFormat.PER_FIELD_FORMAT_KEY);
      KnnVectorsReader reader =
          ((PerFieldKnnVectorsFormat.FieldsReader) segment.getVectorReader())
              .getFieldReader("face");
      HnswGraph graph = ((HnswGraphProvider) reader).getGraph("face");
      int max = 0;
      HnswGraph.NodesIterator nodes = graph.getNodesOnLevel(0);
      while (nodes.hasNext()) {
        graph.seek(0, nodes.nextInt());
        int count = 0;
        while (graph.nextNeighbor() != org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS) {
          count++;
        }
        max = Math.max(max, count);
      }
      return new SegmentFacts(
          format, max, segment.getFloatVectorValues("face").size(), quantizedBytes(segment));
    }
  }

  /**
   * Bytes of the quantized vector files of a segment, looking inside its compound file if it has
   * one.
   */
  private static long quantizedBytes(SegmentReader segment) throws IOException {
    SegmentInfo info = segment.getSegmentInfo().info;
    long bytes = 0;
    if (info.getUseCompoundFile()) {
      try (Directory compound =
          info.getCodec().compoundFormat().getCompoundReader(segment.directory(), info)) {
        for (String file : compound.listAll()) {
          bytes += file.endsWith(".veq") ? compound.fileLength(file) : 0;
        }
      }
    } else {
      for (String file : info.files()) {
        bytes += file.endsWith(".veq") ? segment.directory().fileLength(file) : 0;
      }
    }
    return bytes;
  }

  public void testHnswParametersReachTheSegment() throws IOException {
    indexRandomFaces("small-m", ", \"hnsw\": {\"m\": 4, \"ef_construction\": 32}");
    indexRandomFaces("default-m", "");
    SegmentFacts small = segmentFacts("small-m");
    SegmentFacts standard = segmentFacts("default-m");
    assertEquals("Lucene99HnswVectorsFormat", small.format());
    assertEquals("Lucene99HnswVectorsFormat", standard.format());
    // Lucene keeps at most 2*m neighbours per node on level 0.
    assertTrue(
        "m=4 allows 8 level-0 neighbours, saw " + small.maxLevel0Neighbours(),
        small.maxLevel0Neighbours() <= 8);
    assertTrue(
        "m=16 should use more than 8 neighbours, saw " + standard.maxLevel0Neighbours(),
        standard.maxLevel0Neighbours() > 8);
  }

  public void testInt8SegmentsSurviveForceMergeAndRestart() throws Exception {
    indexRandomFaces("quantized", ", \"embedding_encoding\": \"int8\"");
    SegmentFacts before = segmentFacts("quantized");
    // The plugin's int8 format (Lucene's 8-bit files, read back through SPI after the restart).
    assertEquals(Int8HnswFormat.NAME, before.format());
    assertEquals(DOCS, before.vectors());
    // Bits per dimension, from two indices that differ only in dims (per-vector overhead cancels
    // out).
    int wideDims = DIMS * 3;
    indexRandomFaces("quantized-wide", wideDims, ", \"embedding_encoding\": \"int8\"");
    long extraBytes = segmentFacts("quantized-wide").quantizedBytes() - before.quantizedBytes();
    double bitsPerDim = 8.0 * extraBytes / ((double) DOCS * (wideDims - DIMS));
    assertEquals("bits per dimension", 8.0, bitsPerDim, 0.05);

    internalCluster().fullRestart();
    ensureGreen("quantized");
    SegmentFacts after = segmentFacts("quantized");
    assertEquals(Int8HnswFormat.NAME, after.format());
    assertEquals(DOCS, after.vectors());
    assertEquals(
        DOCS,
        client().prepareSearch("quantized").setSize(0).get().getHits().getTotalHits().value());
  }
}
