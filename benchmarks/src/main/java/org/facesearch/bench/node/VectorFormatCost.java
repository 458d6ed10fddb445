package org.facesearch.bench.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.util.IOUtils;
import org.apache.lucene.util.VectorUtil;
import org.facesearch.evaluation.Args;
import org.facesearch.field.vectors.Int8HnswFormat;
import org.facesearch.field.vectors.LuceneQuantization;

/**
 * Stage 1's graph search alone, in one JVM without a node: the same random unit vectors indexed
 * with each HNSW vectors format the {@code face} field can use, one segment each, then
 * single-thread queries/s (graph search plus the exact re-scoring of every candidate, as the face
 * query does for int8 graphs; for float32 graphs it re-reads only the few candidates within the
 * graph's rounding bound of the k-th best, close to window 0 here) and recall@10 against exact
 * search at several candidate counts. Shows where an encoding's time goes before a node, REST and
 * the k-NN peer are added.
 *
 * <p>The re-scoring window is how many of the graph's best candidates are re-scored exactly (-1
 * all, 0 none: the graph's own order).
 *
 * <pre>
 * benchmarks/run VectorFormatCost [--vectors 100000] [--queries 300] [--candidates 100,200,400,800]
 *     [--formats float32,int8,int7] [--windows -1] [--keep DIR: keep the indices there and reuse them]
 * </pre>
 */
public final class VectorFormatCost {
  private static final String FIELD = "v";

  public static void main(String[] argv) throws Exception {
    Args args =
        new Args(argv, Set.of("vectors", "queries", "candidates", "formats", "windows", "keep"));
    int count = args.positive("vectors", 100_000);
    int queryCount = args.positive("queries", 300);
    int[] candidates =
        args.integers("candidates", "100,200,400,800").stream()
            .mapToInt(Integer::intValue)
            .toArray();
    float[][] vectors = RandomUnitVectors.generate(count, 512, 42);
    float[][] queries = RandomUnitVectors.generate(queryCount, 512, 4242);
    int[][] truth = ExactNeighbours.topK(vectors, queries, 10);
    List<String> names = args.words("formats", "float32,int8,int7");
    int[] rescore = args.integers("windows", "-1").stream().mapToInt(Integer::intValue).toArray();
    // --keep DIR keeps the indices there and reuses them on the next run.
    String keep = args.stringOrNull("keep");
    for (String name : names) {
      Path dir =
          keep == null
              ? Files.createTempDirectory("vector-format-" + name)
              : Path.of(keep, name + "-" + count);
      try (MMapDirectory directory = new MMapDirectory(dir)) {
        if (!DirectoryReader.indexExists(directory)) {
          long start = System.nanoTime();
          index(directory, format(name), vectors);
          System.out.printf(
              Locale.ROOT,
              "%s: indexed %d vectors in %.1f s%n",
              name,
              count,
              (System.nanoTime() - start) / 1e9);
        }
        try (DirectoryReader reader = DirectoryReader.open(directory)) {
          IndexSearcher searcher = new IndexSearcher(reader);
          for (int c : candidates) {
            for (int window : rescore) {
              run(searcher, queries, c, window, truth); // warm-up
              Result r = run(searcher, queries, c, window, truth);
              System.out.printf(
                  Locale.ROOT,
                  "%s candidates %d, re-scored %s: %.0f q/s, recall@10 %.3f%n",
                  name,
                  c,
                  window < 0 ? "all" : String.valueOf(window),
                  r.qps,
                  r.recall);
            }
          }
        }
      } finally {
        if (keep == null) {
          IOUtils.rm(dir);
        }
      }
    }
  }

  private record Result(double qps, double recall) {}

  private static Result run(
      IndexSearcher searcher, float[][] queries, int candidates, int window, int[][] truth)
      throws Exception {
    int[][] found = new int[queries.length][];
    long start = System.nanoTime();
    for (int q = 0; q < queries.length; q++) {
      TopDocs top =
          searcher.search(new KnnFloatVectorQuery(FIELD, queries[q], candidates), candidates);
      ScoreDoc[] best =
          Arrays.copyOf(
              top.scoreDocs,
              window < 0 ? top.scoreDocs.length : Math.min(window, top.scoreDocs.length));
      found[q] =
          window == 0
              ? Arrays.stream(top.scoreDocs).limit(10).mapToInt(d -> d.doc).toArray()
              : rescored(searcher, queries[q], best);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(queries.length / seconds, ExactNeighbours.recall(truth, found));
  }

  /**
   * The best 10 by exact dot product over the stored floats, as the face query re-scores its
   * candidates.
   */
  private static int[] rescored(IndexSearcher searcher, float[] query, ScoreDoc[] candidates)
      throws Exception {
    ScoreDoc[] byDoc = candidates.clone();
    Arrays.sort(byDoc, (a, b) -> Integer.compare(a.doc, b.doc));
    FloatVectorValues values =
        searcher.getIndexReader().leaves().get(0).reader().getFloatVectorValues(FIELD);
    KnnVectorValues.DocIndexIterator it = values.iterator();
    for (ScoreDoc d : byDoc) {
      it.advance(d.doc);
      d.score = VectorUtil.dotProduct(query, values.vectorValue(it.index()));
    }
    Arrays.sort(byDoc, (a, b) -> Float.compare(b.score, a.score));
    return Arrays.stream(byDoc).limit(10).mapToInt(d -> d.doc).toArray();
  }

  private static KnnVectorsFormat format(String name) {
    return switch (name) {
      case "float32" -> new Lucene99HnswVectorsFormat(16, 100);
      case "int8" -> LuceneQuantization.lucenesQuantizedFormat(8, 16, 100);
      case "int8-prefetch" -> new Int8HnswFormat(16, 100);
      case "int7" -> LuceneQuantization.lucenesQuantizedFormat(7, 16, 100);
      default -> throw new IllegalArgumentException(name);
    };
  }

  private static void index(MMapDirectory directory, KnnVectorsFormat format, float[][] vectors)
      throws Exception {
    Codec codec =
        new FilterCodec(Codec.getDefault().getName(), Codec.getDefault()) {
          @Override
          public KnnVectorsFormat knnVectorsFormat() {
            return new PerFieldKnnVectorsFormat() {
              @Override
              public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return format;
              }
            };
          }
        };
    IndexWriterConfig config = new IndexWriterConfig().setCodec(codec).setRAMBufferSizeMB(2048);
    try (IndexWriter writer = new IndexWriter(directory, config)) {
      List<Document> docs = new ArrayList<>();
      for (float[] v : vectors) {
        Document doc = new Document();
        doc.add(new KnnFloatVectorField(FIELD, v, VectorSimilarityFunction.DOT_PRODUCT));
        docs.add(doc);
      }
      writer.addDocuments(docs);
      writer.forceMerge(1);
    }
  }
}
