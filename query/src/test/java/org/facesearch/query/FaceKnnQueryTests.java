package org.facesearch.query;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
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
import org.facesearch.field.vectors.Int8HnswFormat;
import org.opensearch.test.OpenSearchTestCase;

/**
 * Stage 1 on one shard against an independent computation: every candidate of the graph search
 * re-scored with the exact cosine, sorted, the best k kept. The face query re-reads only the
 * candidates that can still reach the best k; from the same exact cosines that selection must give
 * the same hits bit for bit, also where the cosines of many faces lie closer together than the
 * graph's rounding (near-duplicate and duplicate faces), over several segments of memory-mapped
 * files (where Lucene scores with its own SIMD kernel over the file).
 *
 * <p>The whole query is compared with a tolerance of 1e-6: the JVM computes the same float dot
 * product a few ulps differently before and after the JIT compiles Lucene's SIMD kernels, so two
 * searches of one query in a cold JVM can differ in the last bits (and, among faces 1e-7 apart, in
 * which near-duplicate the graph finds first).
 */
public class FaceKnnQueryTests extends OpenSearchTestCase {
  private static final int DIMS = 512;
  private static final int K = 10;

  public void testFloatGraphsRankAsReScoringEveryCandidate() throws IOException {
    Random random = new Random(random().nextLong());
    float[] person = VectorUtil.l2normalize(gaussian(random, 1f));
    try (Directory dir = new MMapDirectory(createTempDir("float32"))) {
      index(dir, new Lucene99HnswVectorsFormat(16, 100), galleryAround(random, person));
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        IndexSearcher searcher = new IndexSearcher(reader);
        assertTrue("several segments", reader.leaves().size() > 1);
        float error = GraphCandidates.cosineError(searcher, "v", DIMS);
        assertEquals((DIMS + 1) * 0x1p-22f, error, 0f);
        int read = 0;
        int candidates = 0;
        int reordered = 0;
        for (int q = 0; q < 60; q++) {
          // Half the queries resemble the person (cosine about 0.6 to all the near-duplicates),
          // half anywhere.
          boolean resembling = q % 2 == 0;
          float[] query =
              resembling
                  ? near(random, person, 0.06f)
                  : VectorUtil.l2normalize(gaussian(random, 1f));
          for (int numCandidates : new int[] {K, 50, 200}) {
            String what = "query " + q + ", " + numCandidates + " candidates";
            ScoreDoc[] graph = GraphCandidates.search(searcher, "v", query, numCandidates, null);
            Map<Integer, Float> exact = new HashMap<>();
            for (ScoreDoc d : graph) {
              exact.put(d.doc, exactCosine(reader, query, d.doc));
              assertTrue(
                  "graph cosine "
                      + (2 * d.score - 1)
                      + " vs exact "
                      + exact.get(d.doc)
                      + " beyond the bound "
                      + error,
                  Math.abs(2 * d.score - 1 - exact.get(d.doc)) <= error);
            }
            FaceKnnQuery face = new FaceKnnQuery("v", query, K, numCandidates, null);
            ScoreDoc[] contenders = face.contenders(graph, error);
            FaceHitsQuery everyCandidate = best(reader, graph, exact);
            assertEquals(what, everyCandidate, best(reader, contenders, exact));
            assertSameHits(
                what, everyCandidate, (FaceHitsQuery) face.rewrite(searcher), resembling);
            if (!resembling) {
              // The graph's candidates are Lucene's own vector query's hits.
              int[] lucene =
                  docs(
                      searcher.search(
                              new KnnFloatVectorQuery("v", query.clone(), numCandidates),
                              numCandidates)
                          .scoreDocs);
              int[] ours = docs(graph);
              Arrays.sort(lucene);
              Arrays.sort(ours);
              assertArrayEquals(what, lucene, ours);
              if (numCandidates > K) {
                read += contenders.length;
                candidates += graph.length;
              }
            } else if (!Arrays.equals(topByGraph(graph), everyCandidate.docs())) {
              reordered++;
            }
          }
        }
        // The test reaches the case it is for: the graph's own best k are not the exact best k.
        assertTrue(
            "the graph's order differed from the exact one for " + reordered + " searches",
            reordered > 0);
        // The bound is worth having: away from near-duplicates, only a few candidates beyond the k
        // best are re-read.
        assertTrue("re-read " + read + " of " + candidates + " candidates", read < candidates / 4);
      }
    }
  }

  public void testQuantizedGraphsReScoreEveryCandidate() throws IOException {
    Random random = new Random(random().nextLong());
    float[] person = VectorUtil.l2normalize(gaussian(random, 1f));
    try (Directory dir = new MMapDirectory(createTempDir("int8"))) {
      index(dir, new Int8HnswFormat(16, 100), galleryAround(random, person));
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        IndexSearcher searcher = new IndexSearcher(reader);
        assertEquals(Float.POSITIVE_INFINITY, GraphCandidates.cosineError(searcher, "v", DIMS), 0f);
        for (int q = 0; q < 20; q++) {
          boolean resembling = q % 2 == 0;
          float[] query =
              resembling
                  ? near(random, person, 0.06f)
                  : VectorUtil.l2normalize(gaussian(random, 1f));
          ScoreDoc[] graph = GraphCandidates.search(searcher, "v", query, 100, null);
          Map<Integer, Float> exact = new HashMap<>();
          for (ScoreDoc d : graph) {
            exact.put(d.doc, exactCosine(reader, query, d.doc));
          }
          FaceKnnQuery face = new FaceKnnQuery("v", query, K, 100, null);
          assertEquals(graph.length, face.contenders(graph, Float.POSITIVE_INFINITY).length);
          assertSameHits(
              "query " + q,
              best(reader, graph, exact),
              (FaceHitsQuery) face.rewrite(searcher),
              resembling);
        }
      }
    }
  }

  public void testContendersAreThoseWithinTwiceTheErrorOfTheKthBest() {
    FaceKnnQuery query = new FaceKnnQuery("v", new float[] {1f}, 2, 5, null);
    // Graph scores (1 + cosine) / 2 for cosines 0.9, 0.8, 0.79, 0.7, 0.5, in no order.
    ScoreDoc[] graph = {
      new ScoreDoc(4, 0.75f),
      new ScoreDoc(1, 0.95f),
      new ScoreDoc(3, 0.85f),
      new ScoreDoc(0, 0.895f),
      new ScoreDoc(2, 0.9f)
    };
    // The 2nd best cosine is 0.8; with error 0.01 the bar is 0.78: 0.79 is in, 0.7 out.
    assertArrayEquals(new int[] {1, 2, 0}, docs(query.contenders(graph, 0.01f)));
    assertArrayEquals(new int[] {1, 2}, docs(query.contenders(graph, 0.001f)));
    assertEquals(5, query.contenders(graph, 0.2f).length);
    assertEquals(5, query.contenders(graph, Float.POSITIVE_INFINITY).length);
  }

  /**
   * The expected outcome, computed the plain way: the best k of {@code candidates} by exact cosine,
   * then doc.
   */
  private static FaceHitsQuery best(
      DirectoryReader reader, ScoreDoc[] candidates, Map<Integer, Float> exact) {
    ScoreDoc[] scored = new ScoreDoc[candidates.length];
    for (int i = 0; i < candidates.length; i++) {
      scored[i] = new ScoreDoc(candidates[i].doc, exact.get(candidates[i].doc));
    }
    Arrays.sort(
        scored,
        (a, b) ->
            a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.doc, b.doc));
    ScoreDoc[] top = Arrays.copyOf(scored, Math.min(K, scored.length));
    Arrays.sort(top, (a, b) -> Integer.compare(a.doc, b.doc));
    float[] scores = new float[top.length];
    for (int i = 0; i < top.length; i++) {
      scores[i] = top[i].score;
    }
    return new FaceHitsQuery("v", docs(top), scores, reader.getContext().id());
  }

  /**
   * The query's hits against the expected ones: scores within 1e-6 (see the class comment), and the
   * same documents unless near-duplicates tie within that (then the same number of hits).
   */
  private static void assertSameHits(
      String what, FaceHitsQuery expected, FaceHitsQuery actual, boolean nearDuplicates) {
    assertEquals(what, expected.size(), actual.size());
    float[] e = expected.scores().clone();
    float[] a = actual.scores().clone();
    Arrays.sort(e);
    Arrays.sort(a);
    for (int i = 0; i < e.length; i++) {
      assertEquals(what + ", score " + i, e[i], a[i], 1e-6f);
    }
    if (!nearDuplicates) {
      assertArrayEquals(what, expected.docs(), actual.docs());
    }
  }

  /** The docs of the k best by graph score, in doc order. */
  private static int[] topByGraph(ScoreDoc[] graph) {
    ScoreDoc[] byGraph = graph.clone();
    Arrays.sort(
        byGraph,
        (a, b) ->
            a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.doc, b.doc));
    return Arrays.stream(byGraph).limit(K).mapToInt(d -> d.doc).sorted().toArray();
  }

  private static int[] docs(ScoreDoc[] hits) {
    return Arrays.stream(hits).mapToInt(d -> d.doc).toArray();
  }

  private static float exactCosine(DirectoryReader reader, float[] query, int doc)
      throws IOException {
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
      faces[i] =
          i % 10 == 0 ? near(random, person, 1e-7f) : VectorUtil.l2normalize(gaussian(random, 1f));
    }
    for (int i = 0; i < 20; i++) {
      faces[7 + 150 * i] = faces[0].clone();
    }
    return faces;
  }

  private static void index(Directory dir, KnnVectorsFormat format, float[][] faces)
      throws IOException {
    IndexWriterConfig config =
        new IndexWriterConfig()
            .setCodec(TestUtil.alwaysKnnVectorsFormat(format))
            .setMergePolicy(NoMergePolicy.INSTANCE);
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
    return VectorUtil.l2normalize(noise);
  }

  private static float[] gaussian(Random random, float sigma) {
    float[] v = new float[DIMS];
    for (int d = 0; d < DIMS; d++) {
      v[d] = (float) random.nextGaussian() * sigma;
    }
    return v;
  }
}
