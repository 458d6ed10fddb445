package org.facesearch.emd;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Independent reference computations for the EMD tests, written from docs/algorithms.md section 3
 * in the plainest form (double precision, nested loops, no shared code with the implementation):
 * similarity matrix, weights, a Sinkhorn run to full convergence, an exact transport solver
 * (min-cost flow), brute force over permutations, and brute-force pooling.
 */
final class Reference {
  private Reference() {}

  /**
   * A face in both forms: doubles for the reference, and the FacePatches built from the same
   * floats.
   */
  static final class Face {
    final int rows;
    final int cols;
    final double[][] cells;
    final double[] centre;
    final double[] embedding;
    final FacePatches patches;

    Face(int rows, int cols, float[][] cells, float[] norms, float[] centre, float[] embedding) {
      this.rows = rows;
      this.cols = cols;
      this.cells = toDouble(cells);
      this.centre = centre == null ? null : toDouble(centre);
      this.embedding = embedding == null ? null : toDouble(embedding);
      this.patches = FacePatches.of(rows, cols, cells, norms, centre, embedding);
    }
  }

  static double[] toDouble(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }

  static double[][] toDouble(float[][] a) {
    double[][] d = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      d[i] = toDouble(a[i]);
    }
    return d;
  }

  static float[] unit(double[] x) {
    double n = 0;
    for (double e : x) {
      n += e * e;
    }
    n = Math.sqrt(n);
    float[] f = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      f[i] = (float) (x[i] / n);
    }
    return f;
  }

  static double[] gaussian(Random random, int dims) {
    double[] x = new double[dims];
    for (int i = 0; i < dims; i++) {
      x[i] = random.nextGaussian();
    }
    return x;
  }

  /**
   * A random face: raw cell vectors drawn around a shared face-wide direction (so APC weights are
   * mostly positive, as with real maps), unit cells, their norms, the unit centre of the raw map
   * and a unit embedding of {@code embeddingDims}.
   */
  static Face randomFace(Random random, int rows, int cols, int dims, int embeddingDims) {
    double[] shared = gaussian(random, dims);
    return faceAround(random, rows, cols, dims, embeddingDims, null, shared, 1.5);
  }

  /**
   * A face whose raw cells are {@code base}'s raw cells (when given) plus noise of the given scale:
   * a "same person, other photo" candidate for the query {@code base}.
   */
  static Face faceAround(
      Random random,
      int rows,
      int cols,
      int dims,
      int embeddingDims,
      Face base,
      double[] shared,
      double noise) {
    int n = rows * cols;
    double[][] raw = new double[n][];
    for (int i = 0; i < n; i++) {
      double[] x = gaussian(random, dims);
      for (int d = 0; d < dims; d++) {
        double anchor = base != null ? base.cells[i][d] : shared[d] / Math.sqrt(dims);
        x[d] = anchor + noise * x[d] / Math.sqrt(dims);
      }
      raw[i] = x;
    }
    float[][] cells = new float[n][];
    float[] norms = new float[n];
    double[] mean = new double[dims];
    for (int i = 0; i < n; i++) {
      cells[i] = unit(raw[i]);
      double s = 0;
      for (int d = 0; d < dims; d++) {
        s += raw[i][d] * raw[i][d];
        mean[d] += raw[i][d] / n;
      }
      norms[i] = (float) Math.sqrt(s);
    }
    // The embedding is a function of the map; model that loosely as its mean plus noise, so that
    // cc weights (embedding against cells) are mostly positive when the dims agree.
    double[] e = gaussian(random, embeddingDims);
    if (embeddingDims == dims) {
      double meanNorm = 0;
      for (double x : mean) {
        meanNorm += x * x;
      }
      meanNorm = Math.sqrt(meanNorm);
      for (int d = 0; d < dims; d++) {
        e[d] = mean[d] / meanNorm + 0.7 * e[d] / Math.sqrt(dims);
      }
    }
    float[] embedding = unit(e);
    return new Face(rows, cols, cells, norms, unit(mean), embedding);
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** S[s][m] = <g_s, q_m>: rows candidate, columns query. */
  static double[][] similarity(Face candidate, Face query) {
    double[][] s = new double[candidate.cells.length][query.cells.length];
    for (int i = 0; i < s.length; i++) {
      for (int j = 0; j < s[i].length; j++) {
        s[i][j] = dot(candidate.cells[i], query.cells[j]);
      }
    }
    return s;
  }

  /** {u (candidate side), v (query side)} per the specification, normalised by (sum + 1e-7). */
  static double[][] weights(String kind, double[][] sim, Face candidate, Face query) {
    int g = sim.length;
    int q = sim[0].length;
    double[] u = new double[g];
    double[] v = new double[q];
    switch (kind) {
      case "uniform" -> {
        for (int i = 0; i < g; i++) {
          u[i] = 1.0 / g;
        }
        for (int j = 0; j < q; j++) {
          v[j] = 1.0 / q;
        }
      }
      case "apc" -> {
        for (int i = 0; i < g; i++) {
          u[i] = Math.max(0, dot(query.centre, candidate.cells[i]));
        }
        for (int j = 0; j < q; j++) {
          v[j] = Math.max(0, dot(candidate.centre, query.cells[j]));
        }
      }
      case "cc" -> {
        for (int i = 0; i < g; i++) {
          u[i] = Math.max(0, dot(query.embedding, candidate.cells[i]));
        }
        for (int j = 0; j < q; j++) {
          v[j] = Math.max(0, dot(candidate.embedding, query.cells[j]));
        }
      }
      case "sc" -> {
        for (int i = 0; i < g; i++) {
          for (int j = 0; j < q; j++) {
            u[i] += 1 - sim[i][j];
            v[j] += 1 - sim[i][j];
          }
        }
      }
      default -> throw new IllegalArgumentException(kind);
    }
    return new double[][] {normalise(u), normalise(v)};
  }

  /**
   * Divides by (sum + 1e-7); a sum below 1e-3 counts as zero (the documented reading of "sums to
   * 0", see docs/emd.md) and gives uniform weights instead.
   */
  static double[] normalise(double[] w) {
    double sum = 0;
    for (double x : w) {
      sum += x;
    }
    if (sum < 1e-3) {
      double[] uniform = new double[w.length];
      java.util.Arrays.fill(uniform, 1.0 / w.length);
      return normalise(uniform);
    }
    double[] out = new double[w.length];
    for (int i = 0; i < w.length; i++) {
      out[i] = w[i] / (sum + 1e-7);
    }
    return out;
  }

  /**
   * Plain Sinkhorn, K = exp(-(1 - S)/eps) with no shifting, run to convergence: until the row
   * marginal error (after a column update, which matches the columns exactly) is within {@code
   * tolerance} of what the two sides' unequal masses allow. Returns the plan.
   */
  static double[][] sinkhornPlan(
      double[][] sim, double[] u, double[] v, double eps, double tolerance) {
    int g = u.length;
    int q = v.length;
    double[][] k = new double[g][q];
    for (int i = 0; i < g; i++) {
      for (int j = 0; j < q; j++) {
        k[i][j] = Math.exp(-(1 - sim[i][j]) / eps);
      }
    }
    double su = 0;
    double sv = 0;
    for (double x : u) {
      su += x;
    }
    for (double x : v) {
      sv += x;
    }
    double reachable = Math.abs(su - sv) + tolerance;
    double[] r = new double[g];
    double[] c = new double[q];
    java.util.Arrays.fill(r, 1);
    java.util.Arrays.fill(c, 1);
    boolean done = false;
    for (int it = 0; it < 20_000_000 && !done; it++) {
      for (int i = 0; i < g; i++) {
        double s = 0;
        for (int j = 0; j < q; j++) {
          s += k[i][j] * c[j];
        }
        r[i] = u[i] / s;
      }
      for (int j = 0; j < q; j++) {
        double s = 0;
        for (int i = 0; i < g; i++) {
          s += k[i][j] * r[i];
        }
        c[j] = v[j] / s;
      }
      double err = 0;
      for (int i = 0; i < g; i++) {
        double s = 0;
        for (int j = 0; j < q; j++) {
          s += r[i] * k[i][j] * c[j];
        }
        err = Math.max(err, Math.abs(s - u[i]));
      }
      done = err <= reachable;
    }
    if (!done) {
      throw new AssertionError("reference Sinkhorn did not converge");
    }
    double[][] t = new double[g][q];
    for (int i = 0; i < g; i++) {
      for (int j = 0; j < q; j++) {
        t[i][j] = r[i] * k[i][j] * c[j];
      }
    }
    return t;
  }

  /**
   * Sinkhorn on log-potentials f, h (T = exp((f_i + h_j - (1 - S_ij))/eps)), for small eps where
   * the plain kernel underflows. Rows/columns with zero weight are not supported here.
   */
  static double[][] logSinkhornPlan(
      double[][] sim, double[] u, double[] v, double eps, int iterations) {
    int g = u.length;
    int q = v.length;
    double[] f = new double[g];
    double[] h = new double[q];
    for (int it = 0; it < iterations; it++) {
      for (int i = 0; i < g; i++) {
        double[] terms = new double[q];
        for (int j = 0; j < q; j++) {
          terms[j] = (h[j] - (1 - sim[i][j])) / eps;
        }
        f[i] = eps * (Math.log(u[i]) - logSumExp(terms));
      }
      for (int j = 0; j < q; j++) {
        double[] terms = new double[g];
        for (int i = 0; i < g; i++) {
          terms[i] = (f[i] - (1 - sim[i][j])) / eps;
        }
        h[j] = eps * (Math.log(v[j]) - logSumExp(terms));
      }
    }
    double[][] t = new double[g][q];
    for (int i = 0; i < g; i++) {
      for (int j = 0; j < q; j++) {
        t[i][j] = Math.exp((f[i] + h[j] - (1 - sim[i][j])) / eps);
      }
    }
    return t;
  }

  static double logSumExp(double[] x) {
    double max = Double.NEGATIVE_INFINITY;
    for (double e : x) {
      max = Math.max(max, e);
    }
    double s = 0;
    for (double e : x) {
      s += Math.exp(e - max);
    }
    return max + Math.log(s);
  }

  /** sum T[i][j] * S[i][j]. */
  static double flowSimilarity(double[][] t, double[][] sim) {
    double s = 0;
    for (int i = 0; i < t.length; i++) {
      for (int j = 0; j < t[i].length; j++) {
        s += t[i][j] * sim[i][j];
      }
    }
    return s;
  }

  /**
   * Exact optimal transport for ground cost 1 - S by successive shortest paths (Bellman-Ford on the
   * residual graph) on source -> candidate patch (capacity u) -> query patch (uncapacitated, cost 1
   * - S) -> sink (capacity v). Pushes min(sum u, sum v). Returns the optimal plan.
   */
  static double[][] exactPlan(double[][] sim, double[] u, double[] v) {
    int g = u.length;
    int q = v.length;
    int n = g + q + 2;
    int source = 0;
    int sink = n - 1;
    List<double[]> edges =
        new ArrayList<>(); // {from, to, capacity, cost}; edge i ^ 1 is its reverse
    for (int i = 0; i < g; i++) {
      addEdge(edges, source, 1 + i, u[i], 0);
    }
    int firstMiddle = edges.size();
    for (int i = 0; i < g; i++) {
      for (int j = 0; j < q; j++) {
        addEdge(edges, 1 + i, 1 + g + j, Double.POSITIVE_INFINITY, 1 - sim[i][j]);
      }
    }
    for (int j = 0; j < q; j++) {
      addEdge(edges, 1 + g + j, sink, v[j], 0);
    }
    double su = 0;
    double sv = 0;
    for (double x : u) {
      su += x;
    }
    for (double x : v) {
      sv += x;
    }
    double remaining = Math.min(su, sv);
    final double tiny = 1e-15;
    int augmentations = 0;
    while (remaining > tiny) {
      if (++augmentations > 100000) {
        throw new AssertionError("min-cost flow did not terminate");
      }
      double[] dist = new double[n];
      int[] via = new int[n];
      java.util.Arrays.fill(dist, Double.POSITIVE_INFINITY);
      java.util.Arrays.fill(via, -1);
      dist[source] = 0;
      for (int pass = 0; pass < n; pass++) {
        boolean changed = false;
        for (int e = 0; e < edges.size(); e++) {
          double[] ed = edges.get(e);
          int from = (int) ed[0];
          int to = (int) ed[1];
          if (ed[2] > tiny && dist[from] + ed[3] < dist[to] - 1e-15) {
            dist[to] = dist[from] + ed[3];
            via[to] = e;
            changed = true;
          }
        }
        if (!changed) {
          break;
        }
      }
      if (via[sink] < 0) {
        break;
      }
      double push = remaining;
      for (int node = sink; node != source; node = (int) edges.get(via[node])[0]) {
        push = Math.min(push, edges.get(via[node])[2]);
      }
      for (int node = sink; node != source; node = (int) edges.get(via[node])[0]) {
        int e = via[node];
        edges.get(e)[2] -= push;
        edges.get(e ^ 1)[2] += push;
      }
      remaining -= push;
    }
    double[][] t = new double[g][q];
    int e = firstMiddle;
    for (int i = 0; i < g; i++) {
      for (int j = 0; j < q; j++, e += 2) {
        t[i][j] = edges.get(e ^ 1)[2]; // flow on an edge = capacity of its reverse
      }
    }
    return t;
  }

  private static void addEdge(List<double[]> edges, int from, int to, double cap, double cost) {
    edges.add(new double[] {from, to, cap, cost});
    edges.add(new double[] {to, from, 0, -cost});
  }

  /**
   * Uniform marginals 1/N on both sides of an N x N problem: by Birkhoff-von Neumann an optimal
   * plan is a permutation, so the exact optimum is max over permutations p of (1/N) sum S[i][p(i)].
   */
  static double bestPermutationSimilarity(double[][] sim) {
    int n = sim.length;
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    double best = Double.NEGATIVE_INFINITY;
    // Heap's algorithm, iterative.
    int[] counters = new int[n];
    best = Math.max(best, permutationValue(sim, p));
    int i = 0;
    while (i < n) {
      if (counters[i] < i) {
        int swapWith = (i % 2 == 0) ? 0 : counters[i];
        int tmp = p[swapWith];
        p[swapWith] = p[i];
        p[i] = tmp;
        best = Math.max(best, permutationValue(sim, p));
        counters[i]++;
        i = 0;
      } else {
        counters[i] = 0;
        i++;
      }
    }
    return best;
  }

  private static double permutationValue(double[][] sim, int[] p) {
    double s = 0;
    for (int i = 0; i < p.length; i++) {
      s += sim[i][p[i]];
    }
    return s / p.length;
  }
}
