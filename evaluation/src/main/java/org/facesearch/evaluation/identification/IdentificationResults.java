package org.facesearch.evaluation.identification;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics of an identification run, summed over queries per query version, method and protocol.
 */
final class IdentificationResults {
  private final List<QueryVersion> versions;
  private final List<String> configLabels;
  private final double[] alphaSweep;
  private final Map<QueryVersion, Map<String, MetricTotals>> excluded =
      new EnumMap<>(QueryVersion.class);
  private final Map<QueryVersion, Map<String, MetricTotals>> ownKept =
      new EnumMap<>(QueryVersion.class);
  private final Map<QueryVersion, int[]> gained = new EnumMap<>(QueryVersion.class);
  private final Map<QueryVersion, int[]> lost = new EnumMap<>(QueryVersion.class);
  private final Map<QueryVersion, Integer> noFace = new EnumMap<>(QueryVersion.class);
  private final List<String> queriesWithoutFace = new ArrayList<>();
  private final long[] iterations;
  private final long[] converged;
  private final long[] fellBack;
  private long scored;
  private long scoredQueries;
  private double seconds;

  IdentificationResults(
      List<QueryVersion> versions, List<String> configLabels, double[] alphaSweep) {
    this.versions = List.copyOf(versions);
    this.configLabels = List.copyOf(configLabels);
    this.alphaSweep = alphaSweep.clone();
    int c = configLabels.size();
    iterations = new long[c];
    converged = new long[c];
    fellBack = new long[c];
    for (QueryVersion v : versions) {
      excluded.put(v, new LinkedHashMap<>());
      ownKept.put(v, new LinkedHashMap<>());
      gained.put(v, new int[c]);
      lost.put(v, new int[c]);
      noFace.put(v, 0);
    }
  }

  void skipQueryWithoutFace(String name) {
    queriesWithoutFace.add(name);
  }

  void add(QueryVersion v, QueryOutcome o) {
    addAll(excluded.get(v), o.excluded());
    if (o.ownKept() != null) {
      addAll(ownKept.get(v), o.ownKept());
    }
    if (o.noFace()) {
      noFace.merge(v, 1, Integer::sum);
      return;
    }
    boolean hit = o.excluded().get(IdentificationExperiment.STAGE_ONE).precisionAt1() == 1;
    for (int c = 0; c < configLabels.size(); c++) {
      boolean after = o.excluded().get(configLabels.get(c)).precisionAt1() == 1;
      if (after && !hit) {
        gained.get(v)[c]++;
      } else if (hit && !after) {
        lost.get(v)[c]++;
      }
      iterations[c] += o.iterations()[c];
      converged[c] += o.converged()[c];
      fellBack[c] += o.fellBack()[c];
    }
    scored += o.scored();
    scoredQueries++;
  }

  private static void addAll(
      Map<String, MetricTotals> into, Map<String, RankingMetrics.Values> values) {
    values.forEach(
        (method, value) -> into.computeIfAbsent(method, k -> new MetricTotals()).add(value));
  }

  void finish(double seconds) {
    this.seconds = seconds;
  }

  List<QueryVersion> versions() {
    return versions;
  }

  List<String> configLabels() {
    return configLabels;
  }

  double[] alphaSweep() {
    return alphaSweep.clone();
  }

  /** Own photo excluded (the main protocol). */
  MetricTotals excluded(QueryVersion v, String method) {
    return get(excluded, v, method);
  }

  /** Own unaltered photo kept in the gallery; not available for {@link QueryVersion#CLEAN}. */
  MetricTotals ownKept(QueryVersion v, String method) {
    return get(ownKept, v, method);
  }

  boolean hasOwnKept(QueryVersion v) {
    return !ownKept.get(v).isEmpty();
  }

  private static MetricTotals get(
      Map<QueryVersion, Map<String, MetricTotals>> m, QueryVersion v, String method) {
    Map<String, MetricTotals> byMethod = m.get(v);
    if (byMethod == null || !byMethod.containsKey(method)) {
      throw new IllegalArgumentException("no results for [" + v.key() + "] / [" + method + "]");
    }
    return byMethod.get(method);
  }

  /**
   * Queries of this version that stage 2 (setting {@code c}) moved from a wrong to a right first
   * hit.
   */
  int gained(QueryVersion v, int c) {
    return gained.get(v)[c];
  }

  /**
   * Queries of this version that stage 2 (setting {@code c}) moved from a right to a wrong first
   * hit.
   */
  int lost(QueryVersion v, int c) {
    return lost.get(v)[c];
  }

  /** Queries of this version in which no face was found (they score 0). */
  int noFace(QueryVersion v) {
    return noFace.get(v);
  }

  /** Queries left out because the gallery encoding found no face in their image. */
  List<String> queriesWithoutFace() {
    return List.copyOf(queriesWithoutFace);
  }

  /** Queries counted per version. */
  int queries() {
    return excluded(versions.get(0), IdentificationExperiment.STAGE_ONE).count();
  }

  double meanIterations(int c) {
    return (double) iterations[c] / scored;
  }

  double convergedFraction(int c) {
    return (double) converged[c] / scored;
  }

  long fellBack(int c) {
    return fellBack[c];
  }

  /** Candidates scored per query version on average. */
  double candidatesPerQuery() {
    return (double) scored / scoredQueries;
  }

  double seconds() {
    return seconds;
  }
}
