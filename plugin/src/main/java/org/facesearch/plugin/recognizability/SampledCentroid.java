package org.facesearch.plugin.recognizability;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.facesearch.encoder.FaceModel;
import org.facesearch.recognizability.UiCentroids;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.common.lucene.search.function.CombineFunction;
import org.opensearch.common.lucene.search.function.FunctionScoreQuery;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.index.query.functionscore.FunctionScoreQueryBuilder;
import org.opensearch.index.query.functionscore.ScoreFunctionBuilders;
import org.opensearch.search.SearchHit;
import org.opensearch.search.builder.SearchSourceBuilder;

/**
 * The clustering way to a UI centroid (docs/algorithms.md section 5) over faces already indexed: a
 * seeded random sample of the index's documents, the embeddings of their faces read from {@code
 * _source}, single-linkage clustering cut at {@code cut}, and the largest cluster's mean. Works
 * only where the index holds unrecognizable faces as well as clean ones; the statistics say how
 * clear-cut the largest cluster was.
 */
final class SampledCentroid {

  /**
   * The fewest faces a clustering centroid is the mean of. A centroid is published (in responses
   * and in node files); the mean of n unit embeddings gives each face a share of 1/n, so with at
   * least 20 no single face makes up more than 5% of it, and the centroid of a cluster that is one
   * face (or a few copies of one person) is never handed out as if it were a population's.
   */
  static final int MIN_FACES = 20;

  private SampledCentroid() {}

  /** Refuses a sample too small to ever give a cluster of {@link #MIN_FACES} faces. */
  static void checkSampleSize(int sampleSize) {
    if (sampleSize < MIN_FACES) {
      throw new IllegalArgumentException(
          "[sample_size] must be at least "
              + MIN_FACES
              + ", got ["
              + sampleSize
              + "]: a centroid is the mean of at least "
              + MIN_FACES
              + " faces, so that no one face makes up more than "
              + (100 / MIN_FACES)
              + "% of it");
    }
  }

  /** A random sample of the index, reproducible by seed: random_score on {@code _seq_no}. */
  static SearchRequest sampleRequest(CentroidRequest request) {
    QueryBuilder filter = request.query() == null ? QueryBuilders.matchAllQuery() : request.query();
    FunctionScoreQueryBuilder random =
        QueryBuilders.functionScoreQuery(
                filter,
                ScoreFunctionBuilders.randomFunction().seed(request.seed()).setField("_seq_no"))
            .boostMode(CombineFunction.REPLACE)
            .scoreMode(FunctionScoreQuery.ScoreMode.MULTIPLY);
    SearchSourceBuilder source =
        new SearchSourceBuilder()
            .query(random)
            .size(request.sampleSize())
            .trackTotalHits(true)
            .fetchSource(new String[] {request.field()}, null);
    return new SearchRequest(request.index()).source(source);
  }

  static CentroidResult compute(FaceModel model, CentroidRequest request, SearchResponse response) {
    int dims = model.pack().descriptor().feature().embeddingDims();
    List<float[]> embeddings = new ArrayList<>();
    int withoutFace = 0;
    for (SearchHit hit : response.getHits().getHits()) {
      Map<String, Object> source = hit.getSourceAsMap();
      List<float[]> found;
      try {
        found = SourceEmbeddings.extract(source == null ? Map.of() : source, request.field(), dims);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "["
                + request.field()
                + "] of document ["
                + hit.getId()
                + "] in ["
                + hit.getIndex()
                + "]: "
                + e.getMessage(),
            e);
      }
      withoutFace += found.isEmpty() ? 1 : 0;
      embeddings.addAll(found);
    }
    if (embeddings.size() < 2) {
      throw new IllegalArgumentException(
          "["
              + request.field()
              + "] "
              + embeddings.size()
              + " face embeddings found in _source of the "
              + response.getHits().getHits().length
              + " documents sampled from ["
              + request.index()
              + "]; clustering needs at least 2");
    }
    UiCentroids.LargestCluster largest = UiCentroids.largestCluster(embeddings, request.cut());
    if (largest.members().length < MIN_FACES) {
      throw new IllegalArgumentException(
          "the largest cluster of the "
              + embeddings.size()
              + " faces sampled from ["
              + request.index()
              + "] at [cut] "
              + request.cut()
              + " has "
              + largest.members().length
              + " faces; a centroid needs at least "
              + MIN_FACES
              + " so that no one face makes up more than "
              + (100 / MIN_FACES)
              + "% of it (sample more documents or raise [cut])");
    }

    long total =
        response.getHits().getTotalHits() == null ? -1 : response.getHits().getTotalHits().value();
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("index", request.index());
    stats.put("field", request.field());
    stats.put("documents_matching", total);
    stats.put("documents_sampled", response.getHits().getHits().length);
    stats.put("documents_without_face", withoutFace);
    stats.put("faces", embeddings.size());
    stats.put("seed", request.seed());
    stats.put("cut", request.cut());
    stats.put("clusters", largest.clusters());
    stats.put("largest_cluster", largest.members().length);
    stats.put("runner_up", largest.runnerUp());
    stats.put("ers_of_sample", CentroidResult.ersSummary(largest.centroid(), embeddings));
    stats.put(
        "cosine_distance_to_current", CentroidResult.distanceToCurrent(model, largest.centroid()));

    String source =
        String.format(
            Locale.ROOT,
            "Clustering method, made %s by POST _plugins/face/recognizability/_centroid: %d faces of %d documents sampled (seed %d) from "
                + "[%s] field [%s]; single-linkage clustering cut at %.3f gave %d clusters, the largest has %d faces (runner-up %d) and "
                + "this is their normalised mean.",
            LocalDate.now(ZoneOffset.UTC),
            embeddings.size(),
            response.getHits().getHits().length,
            request.seed(),
            request.index(),
            request.field(),
            request.cut(),
            largest.clusters(),
            largest.members().length,
            largest.runnerUp());
    return new CentroidResult(largest.centroid(), stats, source);
  }
}
