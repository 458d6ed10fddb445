package org.facesearch.query;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.tests.util.TestUtil;
import org.apache.lucene.util.VectorUtil;
import org.facesearch.field.vectors.Int8HnswFormat;
import org.opensearch.test.OpenSearchTestCase;

/**
 * The threshold form of stage 1 ({@link FaceRadialQuery}) against brute force: on a gallery of
 * near-duplicate clusters (1,000 people with 1 to 300 faces each around their own centre, the rest
 * faces of nobody), every face whose exact cosine to the query is at least the threshold is found
 * (recall at least 0.99 over all queries and thresholds), no face below it is ever returned, and
 * each score is the exact cosine.
 */
public class FaceRadialQueryTests extends OpenSearchTestCase {
  private static final int DIMS = 512;

  /**
   * A gallery: the vectors (doc i = vectors[i], in index order) and each face's person (-1:
   * nobody).
   */
  record Gallery(float[][] vectors, int[] person, float[][] centres, float[] spread) {}

  public void testFindsEveryFaceAboveTheThresholdOn100000Faces() throws IOException {
    Random random = new Random(random().nextLong());
    Gallery gallery = clusters(random, 100_000, 1000);
    try (Directory dir = new MMapDirectory(createTempDir("radial-float32"))) {
      long t0 = System.nanoTime();
      index(dir, new Lucene99HnswVectorsFormat(16, 100), gallery.vectors(), 25_000);
      logger.info(
          "indexed {} faces in {} s",
          gallery.vectors().length,
          (System.nanoTime() - t0) / 1_000_000_000L);
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        IndexSearcher searcher = new IndexSearcher(reader);
        assertTrue("several segments", reader.leaves().size() > 1);
        float[][] stored = stored(reader);
        boolean[] even = matches(searcher, even());
        boolean[] rare = matches(searcher, rare());
        List<float[]> queries = queries(random, gallery, 60);
        Recall all = new Recall();
        for (float threshold : new float[] {0.3f, 0.45f, 0.6f}) {
          for (float[] q : queries) {
            boolean[] truth = bruteForce(stored, q, threshold, null);
            all.add(
                truth, check(stored, q, threshold, truth, radial(searcher, q, threshold, null)));
          }
        }
        logger.info("no filter: {}", all);
        all.assertAtLeast(0.99);
        assertTrue("the thresholds select faces: " + all, all.expected > 5000);

        // A filter applied inside the graph search: the faces above the threshold among those it
        // lets through.
        Recall filtered = new Recall();
        for (float[] q : queries) {
          boolean[] truth = bruteForce(stored, q, 0.45f, even);
          filtered.add(truth, check(stored, q, 0.45f, truth, radial(searcher, q, 0.45f, even())));
        }
        logger.info("filter on half the faces: {}", filtered);
        filtered.assertAtLeast(0.99);

        // A filter that lets through fewer faces than the graph search would visit: each one is
        // compared, so nothing is missed.
        for (float[] q : queries.subList(0, 10)) {
          boolean[] truth = bruteForce(stored, q, -0.05f, rare);
          FaceHitsQuery hits = radial(searcher, q, -0.05f, rare());
          assertEquals(count(truth), check(stored, q, -0.05f, truth, hits));
        }
      }
    }
  }

  public void testQuantizedGraphsFindEveryFaceAboveTheThreshold() throws IOException {
    Random random = new Random(random().nextLong());
    Gallery gallery = clusters(random, 20_000, 200);
    try (Directory dir = new MMapDirectory(createTempDir("radial-int8"))) {
      index(dir, new Int8HnswFormat(16, 100), gallery.vectors(), 10_000);
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        IndexSearcher searcher = new IndexSearcher(reader);
        assertEquals(Float.POSITIVE_INFINITY, GraphCandidates.cosineError(searcher, "v", DIMS), 0f);
        float[][] stored = stored(reader);
        List<float[]> queries = queries(random, gallery, 30);
        // The margin covers how far the quantized graph's cosines are from the exact ones.
        float worst = 0;
        for (float[] q : queries) {
          for (LeafReaderContext leaf : reader.leaves()) {
            ThresholdCollector every =
                new ThresholdCollector(0f, 0f, 100, Long.MAX_VALUE, Integer.MAX_VALUE, "too many");
            leaf.reader()
                .searchNearestVectors(
                    "v", q, every, AcceptDocs.fromLiveDocs(null, leaf.reader().maxDoc()));
            for (int i = 0; i < every.numCollected(); i++) {
              float graph = 2 * every.scores()[i] - 1;
              worst =
                  Math.max(
                      worst,
                      Math.abs(
                          graph
                              - VectorUtil.dotProduct(q, stored[leaf.docBase + every.docs()[i]])));
            }
          }
        }
        logger.info(
            "largest difference between a quantized graph cosine and the exact cosine: {}", worst);
        assertTrue(
            "quantized graph cosines are up to " + worst + " from the exact ones",
            worst < FaceRadialQuery.QUANTIZED_MARGIN / 2);
        Recall all = new Recall();
        for (float threshold : new float[] {0.3f, 0.45f, 0.6f}) {
          for (float[] q : queries) {
            boolean[] truth = bruteForce(stored, q, threshold, null);
            all.add(
                truth, check(stored, q, threshold, truth, radial(searcher, q, threshold, null)));
          }
        }
        logger.info("int8: {}", all);
        all.assertAtLeast(0.99);
      }
    }
  }

  public void testRefusesMoreFacesThanTheBound() throws IOException {
    Random random = new Random(random().nextLong());
    Gallery gallery = clusters(random, 2_000, 20);
    try (Directory dir = new MMapDirectory(createTempDir("radial-bound"))) {
      index(dir, new Lucene99HnswVectorsFormat(16, 100), gallery.vectors(), 1_000);
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        IndexSearcher searcher = new IndexSearcher(reader);
        float[][] stored = stored(reader);
        int person = 0;
        for (int p = 0; p < gallery.centres().length; p++) {
          if (count(bruteForce(stored, gallery.centres()[p], 0.5f, null))
              > count(bruteForce(stored, gallery.centres()[person], 0.5f, null))) {
            person = p;
          }
        }
        float[] q = gallery.centres()[person];
        // Every face is a candidate at -1: the graph search stops at twice the bound.
        IllegalArgumentException e =
            expectThrows(
                IllegalArgumentException.class,
                () ->
                    new FaceRadialQuery(
                            "v", q, -1f, null, null, 100, FaceRadialQuery.TRAVERSAL_SLACK)
                        .rewrite(searcher));
        assertEquals(
            "[face] query: more than 200 faces in one shard have a cosine at or near min_similarity -1.0; raise [min_similarity] "
                + "or narrow the search with [filter]",
            e.getMessage());
        // One face more than the bound at or above the threshold.
        boolean[] truth = bruteForce(stored, q, 0.5f, null);
        int n = count(truth);
        assertTrue("the person has faces: " + n, n >= 5);
        e =
            expectThrows(
                IllegalArgumentException.class,
                () ->
                    new FaceRadialQuery(
                            "v", q, 0.5f, null, null, n - 1, FaceRadialQuery.TRAVERSAL_SLACK)
                        .rewrite(searcher));
        assertEquals(
            "[face] query: more than "
                + (n - 1)
                + " faces in one shard have a cosine of at least min_similarity 0.5; raise "
                + "[min_similarity] or narrow the search with [filter]",
            e.getMessage());
        // At the bound itself the faces are returned.
        FaceHitsQuery hits =
            (FaceHitsQuery)
                new FaceRadialQuery("v", q, 0.5f, null, null, n, FaceRadialQuery.TRAVERSAL_SLACK)
                    .rewrite(searcher);
        assertEquals(n, check(stored, q, 0.5f, truth, hits));
      }
    }
  }

  private static FaceHitsQuery radial(
      IndexSearcher searcher, float[] q, float threshold, Query filter) throws IOException {
    return (FaceHitsQuery) new FaceRadialQuery("v", q, threshold, filter, null).rewrite(searcher);
  }

  /** Found against expected faces, summed over queries. */
  private static final class Recall {
    long found;
    long expected;

    void add(boolean[] truth, int foundHere) {
      expected += count(truth);
      found += foundHere;
    }

    void assertAtLeast(double recall) {
      assertTrue("recall " + this, found >= recall * expected);
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%d of %d faces above the threshold found (recall %.5f)",
          found,
          expected,
          (double) found / expected);
    }
  }

  /**
   * Checks that every hit is one of the expected faces (so at or above the threshold, and through
   * the filter), once, in doc order, with its exact cosine as its score; returns how many hits.
   */
  private static int check(
      float[][] vectors, float[] q, float threshold, boolean[] truth, FaceHitsQuery hits) {
    int found = 0;
    for (int i = 0; i < hits.size(); i++) {
      int doc = hits.docs()[i];
      assertTrue("hits in doc order, once each", i == 0 || hits.docs()[i - 1] < doc);
      float exact = VectorUtil.dotProduct(q, vectors[doc]);
      assertEquals("doc " + doc, exact, hits.scores()[i], 1e-6f);
      assertTrue(
          "doc "
              + doc
              + " (cosine "
              + exact
              + ", threshold "
              + threshold
              + ") is not one of the expected faces",
          truth[doc]);
      found++;
    }
    return found;
  }

  /**
   * The faces with a cosine of at least {@code threshold} to {@code q} (among those {@code filter}
   * marks, when given), by exact scan.
   */
  private static boolean[] bruteForce(
      float[][] vectors, float[] q, float threshold, boolean[] filter) {
    boolean[] out = new boolean[vectors.length];
    for (int i = 0; i < vectors.length; i++) {
      out[i] = (filter == null || filter[i]) && VectorUtil.dotProduct(q, vectors[i]) >= threshold;
    }
    return out;
  }

  /** The documents a query matches, by doc id. */
  private static boolean[] matches(IndexSearcher searcher, Query query) throws IOException {
    boolean[] out = new boolean[searcher.getIndexReader().maxDoc()];
    for (ScoreDoc d : searcher.search(query, out.length).scoreDocs) {
      out[d.doc] = true;
    }
    return out;
  }

  private static int count(boolean[] b) {
    int n = 0;
    for (boolean x : b) {
      n += x ? 1 : 0;
    }
    return n;
  }

  /**
   * Queries: two thirds new faces of people in the gallery (chosen in proportion to how many faces
   * they have, so large clusters are searched too), one sixth the people's centres, one sixth faces
   * of nobody.
   */
  private static List<float[]> queries(Random random, Gallery g, int n) {
    List<float[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (i % 6 < 4) {
        int p = g.person()[random.nextInt(g.person().length)];
        while (p < 0) {
          p = g.person()[random.nextInt(g.person().length)];
        }
        out.add(near(random, g.centres()[p], g.spread()[p]));
      } else if (i % 6 == 4) {
        out.add(g.centres()[random.nextInt(g.centres().length)].clone());
      } else {
        out.add(VectorUtil.l2normalize(gaussian(random, 1f)));
      }
    }
    return out;
  }

  /**
   * {@code people} clusters of 1 to 300 faces (sizes skewed towards small, as in photo
   * collections), each face the person's centre plus Gaussian noise whose size gives the person a
   * cosine to their centre between 0.6 and 0.85 (so two faces of one person have cosines around
   * 0.35 to 0.7, as photos of one person do), then faces of nobody up to {@code n}, shuffled.
   */
  static Gallery clusters(Random random, int n, int people) {
    float[][] centres = new float[people][];
    float[] spread = new float[people];
    List<float[]> faces = new ArrayList<>();
    List<Integer> owner = new ArrayList<>();
    for (int p = 0; p < people; p++) {
      centres[p] = VectorUtil.l2normalize(gaussian(random, 1f));
      double cosine = 0.6 + 0.25 * random.nextDouble();
      spread[p] =
          (float) Math.sqrt(1 / (cosine * cosine) - 1); // |noise| / |centre| for that cosine
      int size = 1 + (int) (299 * Math.pow(random.nextDouble(), 3));
      for (int i = 0; i < size && faces.size() < n; i++) {
        faces.add(near(random, centres[p], spread[p]));
        owner.add(p);
      }
    }
    while (faces.size() < n) {
      faces.add(VectorUtil.l2normalize(gaussian(random, 1f)));
      owner.add(-1);
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Collections.shuffle(Arrays.asList(order), random);
    float[][] vectors = new float[n][];
    int[] person = new int[n];
    for (int i = 0; i < n; i++) {
      vectors[i] = faces.get(order[i]);
      person[i] = owner.get(order[i]);
    }
    return new Gallery(vectors, person, centres, spread);
  }

  /**
   * Indexes the vectors as field {@code v} on two threads (each thread's documents go to segments
   * of their own, whose graphs are built side by side), a new segment about every {@code
   * perSegment} documents; {@code even} is "true" for every second vector, {@code rare} for every
   * 2000th. Doc ids do not follow the array: read the vectors back with {@link #stored}.
   */
  static void index(Directory dir, KnnVectorsFormat format, float[][] vectors, int perSegment)
      throws IOException {
    IndexWriterConfig config =
        new IndexWriterConfig()
            .setCodec(TestUtil.alwaysKnnVectorsFormat(format))
            .setMergePolicy(NoMergePolicy.INSTANCE)
            .setMaxBufferedDocs(perSegment / 2)
            .setRAMBufferSizeMB(IndexWriterConfig.DISABLE_AUTO_FLUSH);
    try (IndexWriter writer = new IndexWriter(dir, config)) {
      Thread[] threads = new Thread[2];
      IOException[] failed = new IOException[threads.length];
      for (int t = 0; t < threads.length; t++) {
        int first = t;
        threads[t] =
            new Thread(() -> {
              try {
                for (int i = first; i < vectors.length; i += threads.length) {
                  Document doc = new Document();
                  doc.add(
                      new KnnFloatVectorField(
                          "v", vectors[i], VectorSimilarityFunction.DOT_PRODUCT));
                  doc.add(new StringField("even", Boolean.toString(i % 2 == 0), Field.Store.NO));
                  doc.add(new StringField("rare", Boolean.toString(i % 2000 == 0), Field.Store.NO));
                  writer.addDocument(doc);
                }
              } catch (IOException e) {
                failed[first] = e;
              }
            });
        threads[t].start();
      }
      for (Thread thread : threads) {
        try {
          thread.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while indexing", e);
        }
      }
      for (IOException e : failed) {
        if (e != null) {
          throw e;
        }
      }
      writer.commit();
    }
  }

  /** The vector of each document, by doc id. */
  static float[][] stored(DirectoryReader reader) throws IOException {
    float[][] out = new float[reader.maxDoc()][];
    for (LeafReaderContext leaf : reader.leaves()) {
      FloatVectorValues values = leaf.reader().getFloatVectorValues("v");
      KnnVectorValues.DocIndexIterator it = values.iterator();
      for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
        out[leaf.docBase + doc] = values.vectorValue(it.index()).clone();
      }
    }
    return out;
  }

  static Query even() {
    return new TermQuery(new Term("even", "true"));
  }

  static Query rare() {
    return new TermQuery(new Term("rare", "true"));
  }

  private static float[] near(Random random, float[] centre, float spread) {
    float[] noise = gaussian(random, spread / (float) Math.sqrt(DIMS));
    for (int d = 0; d < DIMS; d++) {
      noise[d] += centre[d];
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
