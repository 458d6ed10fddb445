package org.facesearch.field.vectors;

import java.io.IOException;
import java.util.Random;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.tests.util.TestUtil;
import org.apache.lucene.util.VectorUtil;
import org.facesearch.field.FaceDocs;
import org.opensearch.test.OpenSearchTestCase;

/**
 * The int8 format searches exactly as Lucene's own 8-bit format does: the same vectors indexed with
 * both give the same graph, so every query must return the same documents with bit-identical scores
 * (the scores are what steer the graph search, so a single differing score would show). Checked on
 * memory-mapped files, where the prefetching scorer runs, and on heap buffers, for dot product, the
 * similarity of {@code face} fields.
 */
public class Int8HnswFormatTests extends OpenSearchTestCase {
  private static final int DIMS = 96;
  // Lucene builds no graph for tiny segments; 3000 vectors get one with several levels.
  private static final int DOCS = 3000;

  public void testSameHitsAndScoresAsLucenesFormatOnMappedFiles() throws IOException {
    try (Directory ours = new MMapDirectory(createTempDir("ours"));
        Directory lucene = new MMapDirectory(createTempDir("lucene"))) {
      assertSameSearches(ours, lucene, VectorSimilarityFunction.DOT_PRODUCT);
    }
  }

  /**
   * Cosine fields (the plugin makes none; a format must still read any) go through Lucene's own
   * scorer. They cannot be compared bit for bit: Lucene's writer normalises each vector with a SIMD
   * dot product that a JVM computes to a few ulps differently before and after the JIT compiles it,
   * so two indices of the same vectors differ (Lucene's format against itself, seed
   * C9515A04C86D804).
   */
  /**
   * Cosine fields (not what face fields use) go through Lucene's own scorer: the same top hit and,
   * to within float rounding, the same score as Lucene's 8-bit format on the same vectors.
   * (Lucene's own cosine scores differ by ulps between a cold and a warm JVM, so the scores are not
   * compared bit for bit; the quantization error itself, about 0.02 on a vector's cosine with
   * itself, is the same on both sides and cancels.)
   */
  public void testCosineFieldsSearch() throws IOException {
    float[][] vectors = unitVectors(new Random(random().nextLong()), DOCS);
    try (Directory ours = new MMapDirectory(createTempDir("cosine"));
        Directory lucene = new MMapDirectory(createTempDir("cosine-lucene"))) {
      index(ours, new Int8HnswFormat(16, 100), vectors, VectorSimilarityFunction.COSINE);
      index(
          lucene,
          LuceneQuantization.lucenesQuantizedFormat(8, 16, 100),
          vectors,
          VectorSimilarityFunction.COSINE);
      try (DirectoryReader a = DirectoryReader.open(ours);
          DirectoryReader b = DirectoryReader.open(lucene)) {
        IndexSearcher oursSearcher = new IndexSearcher(a);
        IndexSearcher luceneSearcher = new IndexSearcher(b);
        for (int i = 0; i < DOCS; i += 97) {
          TopDocs top =
              oursSearcher.search(new KnnFloatVectorQuery("v", vectors[i].clone(), 10), 10);
          TopDocs expected =
              luceneSearcher.search(new KnnFloatVectorQuery("v", vectors[i].clone(), 10), 10);
          assertEquals("vector " + i, i, top.scoreDocs[0].doc);
          assertEquals("vector " + i, expected.scoreDocs[0].doc, top.scoreDocs[0].doc);
          assertEquals(
              "vector " + i + ": Lucene's score",
              expected.scoreDocs[0].score,
              top.scoreDocs[0].score,
              1e-5f);
        }
      }
    }
  }

  public void testSameHitsAndScoresOnHeapBuffers() throws IOException {
    try (Directory ours = new ByteBuffersDirectory();
        Directory lucene = new ByteBuffersDirectory()) {
      assertSameSearches(ours, lucene, VectorSimilarityFunction.DOT_PRODUCT);
    }
  }

  /** Segments of Lucene's own 8-bit format (earlier versions of the plugin) merge into this one. */
  public void testLucenesInt8SegmentsMergeIntoThisFormat() throws IOException {
    float[][] vectors = unitVectors(new Random(random().nextLong()), DOCS);
    try (Directory dir = new MMapDirectory(createTempDir("mixed"))) {
      float[][] first = java.util.Arrays.copyOfRange(vectors, 0, DOCS / 2);
      float[][] second = java.util.Arrays.copyOfRange(vectors, DOCS / 2, DOCS);
      index(
          dir,
          LuceneQuantization.lucenesQuantizedFormat(8, 16, 100),
          first,
          VectorSimilarityFunction.DOT_PRODUCT);
      index(dir, new Int8HnswFormat(16, 100), second, VectorSimilarityFunction.DOT_PRODUCT);
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        assertEquals(1, reader.leaves().size());
        LeafReader leaf = reader.leaves().get(0).reader();
        assertEquals(
            Int8HnswFormat.NAME,
            leaf.getFieldInfos()
                .fieldInfo("v")
                .getAttribute(PerFieldKnnVectorsFormat.PER_FIELD_FORMAT_KEY));
        assertEquals(DOCS, leaf.getFloatVectorValues("v").size());
        // Every vector of either origin is found as its own nearest neighbour.
        IndexSearcher searcher = new IndexSearcher(reader);
        for (int i = 0; i < DOCS; i += 97) {
          TopDocs top = searcher.search(new KnnFloatVectorQuery("v", vectors[i].clone(), 10), 10);
          assertEquals("vector " + i, i, top.scoreDocs[0].doc);
        }
      }
    }
  }

  private void assertSameSearches(
      Directory ours, Directory lucene, VectorSimilarityFunction similarity) throws IOException {
    long seed = random().nextLong();
    float[][] vectors = unitVectors(new Random(seed), DOCS);
    index(ours, new Int8HnswFormat(16, 100), vectors, similarity);
    index(lucene, LuceneQuantization.lucenesQuantizedFormat(8, 16, 100), vectors, similarity);
    try (DirectoryReader a = DirectoryReader.open(ours);
        DirectoryReader b = DirectoryReader.open(lucene)) {
      LeafReader leaf = a.leaves().get(0).reader();
      assertEquals(
          Int8HnswFormat.NAME,
          leaf.getFieldInfos()
              .fieldInfo("v")
              .getAttribute(PerFieldKnnVectorsFormat.PER_FIELD_FORMAT_KEY));
      IndexSearcher oursSearcher = new IndexSearcher(a);
      IndexSearcher luceneSearcher = new IndexSearcher(b);
      float[][] queries = unitVectors(new Random(seed + 1), 40);
      int exactTopOverlap = 0;
      for (float[] query : queries) {
        // A copy each: for cosine Lucene normalises the query array in place, which would move the
        // second search's scores.
        TopDocs got = oursSearcher.search(new KnnFloatVectorQuery("v", query.clone(), 50), 50);
        TopDocs expected =
            luceneSearcher.search(new KnnFloatVectorQuery("v", query.clone(), 50), 50);
        assertEquals(expected.scoreDocs.length, got.scoreDocs.length);
        for (int i = 0; i < got.scoreDocs.length; i++) {
          assertEquals("hit " + i, expected.scoreDocs[i].doc, got.scoreDocs[i].doc);
          assertEquals(
              "score of hit " + i,
              Float.floatToIntBits(expected.scoreDocs[i].score),
              Float.floatToIntBits(got.scoreDocs[i].score));
        }
        exactTopOverlap += bruteForceBest(vectors, query) == got.scoreDocs[0].doc ? 1 : 0;
      }
      // The quantized search is a search, not noise: the true nearest vector comes first almost
      // always.
      assertTrue(
          "true nearest first in " + exactTopOverlap + " of " + queries.length,
          exactTopOverlap >= queries.length * 0.8);
    }
  }

  private static int bruteForceBest(float[][] vectors, float[] query) {
    int best = 0;
    for (int i = 1; i < vectors.length; i++) {
      if (VectorUtil.dotProduct(vectors[i], query) > VectorUtil.dotProduct(vectors[best], query)) {
        best = i;
      }
    }
    return best;
  }

  private static float[][] unitVectors(Random random, int count) {
    float[][] out = new float[count][];
    for (int i = 0; i < count; i++) {
      out[i] = FaceDocs.unitVector(random, DIMS);
    }
    return out;
  }

  private static void index(
      Directory directory,
      KnnVectorsFormat format,
      float[][] vectors,
      VectorSimilarityFunction similarity)
      throws IOException {
    try (IndexWriter writer =
        new IndexWriter(
            directory,
            new IndexWriterConfig()
                .setCodec(TestUtil.alwaysKnnVectorsFormat(format))
                .setUseCompoundFile(false))) {
      for (float[] v : vectors) {
        Document doc = new Document();
        doc.add(new KnnFloatVectorField("v", v, similarity));
        writer.addDocument(doc);
      }
      writer.forceMerge(1);
    }
  }
}
