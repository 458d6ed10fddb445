package org.facesearch.emd;

import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Scores candidates against one query face by patch-wise EMD (docs/algorithms.md section 3). Build
 * one per query (and per thread: it reuses its buffers and is not thread-safe), then call {@link
 * #score(FacePatches, double)} for each candidate of the re-ranking window.
 *
 * <p>Query-side work (checks, pooling to 4x4, the query's cells transposed for the SIMD matrix
 * product) happens once in the constructor. Per candidate the scorer computes the similarity matrix
 * {@code S[s,m] = <g_s, q_m>} (rows: candidate patches, columns: query patches), the two weight
 * vectors, and solves the entropic transport problem to its own convergence. Nothing but buffer
 * space carries over from one candidate to the next, so a candidate scores the same alone or among
 * others, on any shard. About 30 microseconds per 7x7x512 candidate on one core (see
 * docs/results/performance.md).
 */
public final class EmdScorer {
  private final EmdParams params;
  private final PatchDotProduct dot;
  private final FacePatches query;
  private final int queryCount;
  private final PreparedQuery preparedQuery;

  /** The query as the similarity matrix reads it: {@link #preparedQuery}, or its centred cells. */
  private final PreparedQuery similarityQuery;

  private final Sinkhorn sinkhorn;

  // Per-candidate buffers, grown on demand and reused.
  private float[] sim = new float[0];
  private float[] dotScratch = new float[0];
  private double[] candidateWeights = new double[0];
  private final double[] queryWeights;
  private final float[][] pooledCells;
  private final float[] pooledNorms;
  private float[][] centredCells = new float[0][];
  private int lastCandidateCount;

  /**
   * A scorer using the default (fastest available) dot-product kernel, {@link
   * PatchDotProduct#BLOCKED}.
   */
  public EmdScorer(FacePatches query, EmdParams params) {
    this(query, params, PatchDotProduct.BLOCKED);
  }

  /**
   * A scorer with a chosen dot-product kernel ({@link PatchDotProduct#VECTOR_UTIL} and {@link
   * PatchDotProduct#SCALAR} exist for benchmarks and tests).
   *
   * @throws IllegalArgumentException when the query lacks what the weighting needs (a centre for
   *     apc; an embedding as long as the patches for cc)
   */
  public EmdScorer(FacePatches query, EmdParams params, PatchDotProduct dot) {
    this(query, params, dot, DenseOps.DEFAULT);
  }

  /** Also choosing the Sinkhorn arithmetic, so tests can run both the vector and the plain path. */
  EmdScorer(FacePatches query, EmdParams params, PatchDotProduct dot, DenseOps ops) {
    if (query == null || params == null || dot == null || ops == null) {
      throw new IllegalArgumentException("query, params and dot product kernel are required");
    }
    this.params = params;
    this.dot = dot;
    this.sinkhorn = new Sinkhorn(ops);
    checkWeightingInputs(query, params.weighting(), "query");
    this.query = params.grid().apply(query);
    this.queryCount = this.query.cellCount();
    this.preparedQuery = dot.prepare(this.query.cellArrays(), queryCount);
    this.similarityQuery =
        params.centrePatches()
            ? dot.prepare(PatchCentring.centred(this.query.cellArrays(), queryCount), queryCount)
            : preparedQuery;
    this.queryWeights = new double[queryCount];
    if (params.grid() == Grid.NATIVE) {
      pooledCells = null;
      pooledNorms = null;
    } else {
      int pooled = params.grid().pooledRows() * params.grid().pooledCols();
      pooledCells = new float[pooled][query.dims()];
      pooledNorms = new float[pooled];
    }
  }

  private static void checkWeightingInputs(FacePatches face, Weighting weighting, String side) {
    if (weighting == Weighting.APC && face.centre() == null) {
      throw new IllegalArgumentException(
          "weighting [apc] needs the centre of both faces' patch maps but the "
              + side
              + " face has none");
    }
    if (weighting == Weighting.CC) {
      float[] e = face.embedding();
      if (e == null) {
        throw new IllegalArgumentException(
            "weighting [cc] needs the embeddings of both faces but the " + side + " face has none");
      }
      if (e.length != face.dims()) {
        throw new IllegalArgumentException(
            "weighting [cc] needs embedding dims equal to patch dims but the "
                + side
                + " face has "
                + e.length
                + " and "
                + face.dims());
      }
    }
  }

  /** The parameters this scorer applies. */
  public EmdParams params() {
    return params;
  }

  /** The query as scored (pooled when the grid is 4x4). */
  public FacePatches query() {
    return query;
  }

  /**
   * The stage-1 cosine {@code <e_q, e_g>} of the two embeddings, for callers whose first-pass score
   * is not that cosine.
   *
   * @throws IllegalArgumentException when either embedding is missing or their lengths differ
   */
  public double cosine(FacePatches candidate) {
    float[] eq = query.embedding();
    float[] eg = candidate.embedding();
    if (eq == null || eg == null) {
      throw new IllegalArgumentException("the cosine needs both faces' embeddings");
    }
    if (eq.length != eg.length) {
      throw new IllegalArgumentException(
          "candidate embedding has " + eg.length + " dims but the query's has " + eq.length);
    }
    return dot.dot(eq, eg);
  }

  /** {@link #score(FacePatches, double)} with the cosine of the two embeddings. */
  public EmdResult score(FacePatches candidate) {
    return score(candidate, cosine(candidate));
  }

  /**
   * {@link #score(FacePatches)} that a caller can stop: {@code stop} is asked every few Sinkhorn
   * iterations (a search's cancellation and timeout checks, say) and, when it answers true, the
   * solve ends at once with {@link SolveStoppedException} instead of a result.
   */
  public EmdResult score(FacePatches candidate, BooleanSupplier stop) {
    return score(candidate, cosine(candidate), stop);
  }

  /** {@link #score(FacePatches, double, BooleanSupplier)} that is never stopped. */
  public EmdResult score(FacePatches candidate, double cosine) {
    return score(candidate, cosine, Sinkhorn.NEVER);
  }

  /**
   * Scores one candidate.
   *
   * @param candidate the candidate's patches (its native grid; pooled here when asked)
   * @param cosine the stage-1 cosine to combine with, {@code <e_q, e_g>}
   * @param stop asked every few Sinkhorn iterations whether to give up (see {@link
   *     #score(FacePatches, BooleanSupplier)})
   * @throws IllegalArgumentException when the candidate's patch dims differ from the query's or it
   *     lacks what the weighting needs
   * @throws SolveStoppedException when {@code stop} answered true before the solve ended
   */
  public EmdResult score(FacePatches candidate, double cosine, BooleanSupplier stop) {
    if (candidate.dims() != query.dims()) {
      throw new IllegalArgumentException(
          "candidate patches have "
              + candidate.dims()
              + " dims but the query's have "
              + query.dims());
    }
    Weighting weighting = params.weighting();
    checkWeightingInputs(candidate, weighting, "candidate");

    float[][] candidateCells;
    int candidateCount;
    int candidateGridCols;
    if (pooledCells == null) {
      candidateCells = candidate.cellArrays();
      candidateCount = candidate.cellCount();
      candidateGridCols = candidate.cols();
    } else {
      int rows = params.grid().pooledRows();
      int cols = params.grid().pooledCols();
      AdaptivePooling.pool(candidate, rows, cols, pooledCells, pooledNorms);
      candidateCells = pooledCells;
      candidateCount = rows * cols;
      candidateGridCols = cols;
    }
    ensureCapacity(candidateCount);
    lastCandidateCount = candidateCount;

    final float[] sim = this.sim;
    final double[] u = candidateWeights;
    final double[] v = queryWeights;
    if (params.centrePatches()) {
      PatchCentring.centre(candidateCells, candidateCount, centredCells);
      similarityQuery.similarities(centredCells, candidateCount, sim);
    } else {
      similarityQuery.similarities(candidateCells, candidateCount, sim);
    }

    boolean candidateFellBack;
    boolean queryFellBack;
    switch (weighting) {
      case UNIFORM -> {
        PatchWeights.uniform(u, candidateCount);
        PatchWeights.uniform(v, queryCount);
        candidateFellBack = false;
        queryFellBack = false;
      }
      case APC, CC -> {
        // Each side is weighted by its correlation with the OTHER face's centre (or embedding).
        float[] queryRef = weighting == Weighting.APC ? query.centre() : query.embedding();
        float[] candidateRef =
            weighting == Weighting.APC ? candidate.centre() : candidate.embedding();
        dot.dots(queryRef, candidateCells, candidateCount, dotScratch);
        PatchWeights.correlations(dotScratch, candidateCount, u);
        preparedQuery.dotsWithQuery(candidateRef, dotScratch);
        PatchWeights.correlations(dotScratch, queryCount, v);
        candidateFellBack = PatchWeights.normaliseOrUniform(u, candidateCount);
        queryFellBack = PatchWeights.normaliseOrUniform(v, queryCount);
      }
      case RECOGNIZABILITY -> {
        if (candidateCount != queryCount) {
          throw new IllegalArgumentException(
              "weighting [recognizability] needs both faces on the same grid but the candidate has "
                  + candidateCount
                  + " cells and the query "
                  + queryCount);
        }
        // The same mask on both sides: the candidate's cell s counts where the query's cell s is
        // visible.
        PatchWeights.visible(query, v);
        System.arraycopy(v, 0, u, 0, queryCount);
        candidateFellBack = PatchWeights.normaliseOrUniform(u, candidateCount);
        queryFellBack = PatchWeights.normaliseOrUniform(v, queryCount);
      }
      case SC -> {
        PatchWeights.summedCost(sim, candidateCount, queryCount, u, v);
        candidateFellBack = PatchWeights.normaliseOrUniform(u, candidateCount);
        queryFellBack = PatchWeights.normaliseOrUniform(v, queryCount);
      }
      default -> throw new AssertionError("unhandled weighting " + weighting);
    }

    double emd =
        sinkhorn.solve(
            sim,
            candidateCount,
            queryCount,
            u,
            v,
            params.epsilon(),
            params.tolerance(),
            params.maxIterations(),
            stop);
    if (!Double.isFinite(emd)) {
      // EmdParams keeps epsilon where double precision resolves the plan; reaching this is a bug.
      throw new IllegalStateException(
          "Sinkhorn returned a non-finite EMD similarity at epsilon " + params.epsilon());
    }
    // The flow-weighted mean of cosines lies in [-1, 1]; rounding (a plan's mass off by up to the
    // tolerance, cells a few ulps past unit length) may carry it a hair beyond.
    emd = Math.max(-1.0, Math.min(1.0, emd));

    List<Flow> flows =
        params.flows() == 0
            ? List.of()
            : TopFlows.select(
                sinkhorn,
                candidateCount,
                queryCount,
                candidateGridCols,
                query.cols(),
                params.flows());
    return new EmdResult(
        emd,
        cosine,
        params.alpha(),
        sinkhorn.iterations(),
        sinkhorn.converged(),
        sinkhorn.marginalError(),
        weighting,
        queryFellBack,
        candidateFellBack,
        flows);
  }

  private void ensureCapacity(int candidateCount) {
    int n = candidateCount * queryCount;
    if (sim.length < n) {
      sim = new float[n];
    }
    if (candidateWeights.length < candidateCount) {
      candidateWeights = new double[candidateCount];
    }
    if (params.centrePatches() && centredCells.length < candidateCount) {
      centredCells = new float[candidateCount][query.dims()];
    }
    if (dotScratch.length < Math.max(candidateCount, queryCount)) {
      dotScratch = new float[Math.max(candidateCount, queryCount)];
    }
  }

  // Test hooks: the marginals and solver path of the last score() call.

  double[] lastCandidateWeights() {
    return Arrays.copyOf(candidateWeights, lastCandidateCount);
  }

  double[] lastQueryWeights() {
    return queryWeights.clone();
  }

  boolean lastUsedLogDomain() {
    return sinkhorn.usedLogDomain();
  }
}
