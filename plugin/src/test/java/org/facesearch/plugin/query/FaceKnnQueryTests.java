package org.facesearch.plugin.query;

import java.io.IOException;
import java.util.Arrays;
import java.util.Random;

import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.tests.util.TestUtil;
import org.apache.lucene.util.VectorUtil;
import org.facesearch.plugin.vectors.Int8HnswFormat;
import org.opensearch.test.OpenSearchTestCase;

/**
 * Stage 1 on one shard against an independent computation: the same graph search through Lucene's
 * own query, every candidate re-scored with the exact cosine, sorted, the best k kept. The face
 * query re-reads only the candidates that can still reach the best k, so its hits and their scores
 * must equal that bit for bit, also where the cosines of many faces lie closer together than the
 * graph's rounding (near-duplicate and duplicate faces), over several segments of memory-mapped
 * files (where Lucene scores with its own SIMD kernel over the file).
 */
public class FaceKnnQueryTests extends OpenSearchTestCase {
  private static final int DIMS = 512;
  private static final int K = 10;

  public void testFloatGraphsRankAsReScoringEveryCandidate() throws IOException {
    Random random = new Random(random().nextLong());
    float[] person = unit(gaussian(random, 1f));
    try (Directory dir = new MMapDirectory(createTempDir("float32"))) {
      index(dir, new Lucene99HnswVectorsFormat(16, 100), galleryAround(random, person));
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        IndexSearcher searcher = new IndexSearcher(reader);
        assertTrue("several segments", reader.leaves().size() > 1);
        float error = GraphCandidates.cosineError(searcher, "v", DIMS);
        assertEquals((DIMS + 1) * 0x1p-22f, error, 0f);
        int read = 0;
        int candidates = 0;
        for (int q = 0; q < 60; q++) {
          // Half the queries resemble the person (cosine about 0.6 to all the near-duplicates), half anywhere.
          float[] query = q % 2 == 0 ? near(random, person, 0.06f) : unit(gaussian(random, 1f));
          for (int numCandidates : new int[] {K, 50, 200}) {
            ScoreDoc[] graph = searcher.search(new KnnFloatVectorQuery("v", query.clone(), numCandidates), numCandidates).scoreDocs;
            for (ScoreDoc d : graph) {
              float exact = exactCosine(reader, query, d.doc);
              assertTrue("graph cosine " + (2 * d.score - 1) + " vs exact " + exact + " beyond the bound " + error,
                  Math.abs(2 * d.score - 1 - exact) <= error);
            }
            assertEquals("query " + q + ", " + numCandidates + " candidates",
                reScoringEveryCandidate(reader, query, graph), new FaceKnnQuery("v", query, K, numCandidates, null).rewrite(searcher));
            if (q % 2 == 1 && numCandidates > K) {
              read += new FaceKnnQuery("v", query, K, numCandidates, null).contenders(graph, error).length;
              candidates += graph.length;
            }
          }
        }
        // The bound is worth having: away from near-duplicates, only a few candidates beyond the k best are re-read.
        assertTrue("re-read " + read + " of " + candidates + " candidates", read < candidates / 4);
      }
    }
  }

  public void testQuantizedGraphsReScoreEveryCandidate() throws IOException {
    Random random = new Random(random().nextLong());
    float[] person = unit(gaussian(random, 1f));
    try (Directory dir = new MMapDirectory(createTempDir("int8"))) {
      index(dir, new Int8HnswFormat(16, 100), galleryAround(random, person));
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        IndexSearcher searcher = new IndexSearcher(reader);
        assertEquals(Float.POSITIVE_INFINITY, GraphCandidates.cosineError(searcher, "v", DIMS), 0f);
        for (int q = 0; q < 20; q++) {
          float[] query = q % 2 == 0 ? near(random, person, 0.06f) : unit(gaussian(random, 1f));
          ScoreDoc[] graph = searcher.search(new KnnFloatVectorQuery("v", query.clone(), 100), 100).scoreDocs;
          assertEquals(graph.length, new FaceKnnQuery("v", query, K, 100, null).contenders(graph, Float.POSITIVE_INFINITY).length);
          assertEquals(reScoringEveryCandidate(reader, query, graph), new FaceKnnQuery("v", query, K, 100, null).rewrite(searcher));
        }
      }
    }
  }

  public void testContendersAreThoseWithinTwiceTheErrorOfTheKthBest() {
    FaceKnnQuery query = new FaceKnnQuery("v", new float[] {1f}, 2, 5, null);
    // Graph scores (1 + cosine) / 2 for cosines 0.9, 0.8, 0.79, 0.7, 0.5, in no order.
    ScoreDoc[] graph = {new ScoreDoc(4, 0.75f), new ScoreDoc(1, 0.95f), new ScoreDoc(3, 0.85f), new ScoreDoc(0, 0.895f), new ScoreDoc(2, 0.9f)};
    // The 2nd best cosine is 0.8; with error 0.01 the bar is 0.78: 0.79 is in, 0.7 out.
    assertArrayEquals(new int[] {1, 2, 0}, Arrays.stream(query.contenders(graph, 0.01f)).mapToInt(d -> d.doc).toArray());
    assertArrayEquals(new int[] {1, 2}, Arrays.stream(query.contenders(graph, 0.001f)).mapToInt(d -> d.doc).toArray());
    assertEquals(5, query.contenders(graph, 0.2f).length);
    assertEquals(5, query.contenders(graph, Float.POSITIVE_INFINITY).length);
  }

  /** The expected outcome, computed the plain way: every candidate's exact cosine, best k by cosine then doc. */
  private static FaceHitsQuery reScoringEveryCandidate(DirectoryReader reader, float[] query, ScoreDoc[] graph) throws IOException {
    ScoreDoc[] exact = new ScoreDoc[graph.length];
    for (int i = 0; i < graph.length; i++) {
      exact[i] = new ScoreDoc(graph[i].doc, exactCosine(reader, query, graph[i].doc));
    }
    Arrays.sort(exact, (a, b) -> a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.doc, b.doc));
    ScoreDoc[] top = Arrays.copyOf(exact, Math.min(K, exact.length));
    Arrays.sort(top, (a, b) -> Integer.compare(a.doc, b.doc));
    float[] scores = new float[top.length];
    for (int i = 0; i < top.length; i++) {
      scores[i] = top[i].score;
    }
    return new FaceHitsQuery("v", Arrays.stream(top).mapToInt(d -> d.doc).toArray(), scores, reader.getContext().id());
  }

  private static float exactCosine(DirectoryReader reader, float[] query, int doc) throws IOException {
    LeafReaderContext leaf = reader.leaves().get(ReaderUtil.subIndex(doc, reader.leaves()));
    FloatVectorValues values = leaf.reader().getFloatVectorValues("v");
    KnnVectorValues.DocIndexIterator it = values.iterator();
    assertEquals(doc - leaf.docBase, it.advance(doc - leaf.docBase));
    return VectorUtil.dotProduct(query, values.vectorValue(it.index()));
  }

  /**
   * 3,000 faces in three segments: random faces, 300 near-duplicates of one person whose cosines to
   * a query resembling that person differ by about 1e-7 (where the graph's scores round them, and
   * may order them differently), and 20 exact copies of one of them (equal cosines: ranked by doc).
   */
  private static float[][] galleryAround(Random random, float[] person) {
    float[][] faces = new float[3000][];
    for (int i = 0; i < faces.length; i++) {
      faces[i] = i % 10 == 0 ? near(random, person, 1e-7f) : unit(gaussian(random, 1f));
    }
    for (int i = 0; i < 20; i++) {
      faces[7 + 150 * i] = faces[0].clone();
    }
    return faces;
  }

  private static void index(Directory dir, KnnVectorsFormat format, float[][] faces) throws IOException {
    IndexWriterConfig config = new IndexWriterConfig().setCodec(TestUtil.alwaysKnnVectorsFormat(format)).setMergePolicy(NoMergePolicy.INSTANCE);
    try (IndexWriter writer = new IndexWriter(dir, config)) {
      for (int i = 0; i < faces.length; i++) {
        Document doc = new Document();
        doc.add(new KnnFloatVectorField("v", faces[i], VectorSimilarityFunction.DOT_PRODUCT));
        writer.addDocument(doc);
        if ((i + 1) % 1000 == 0) {
          writer.commit();
        }
      }
    }
  }

  private static float[] near(Random random, float[] person, float sigma) {
    float[] noise = gaussian(random, sigma);
    for (int d = 0; d < DIMS; d++) {
      noise[d] += person[d];
    }
    return unit(noise);
  }

  private static float[] gaussian(Random random, float sigma) {
    float[] v = new float[DIMS];
    for (int d = 0; d < DIMS; d++) {
      v[d] = (float) random.nextGaussian() * sigma;
    }
    return v;
  }

  private static float[] unit(float[] v) {
    return VectorUtil.l2normalize(v);
  }
}
