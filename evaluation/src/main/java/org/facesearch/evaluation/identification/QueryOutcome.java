package org.facesearch.evaluation.identification;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One query version's metrics by method (stage 1, ceiling, each stage-2 setting and alpha) under
 * both protocols, and what stage 2 cost. A query in which no face was found scores 0 everywhere.
 *
 * @param ownKept null for the clean version (see {@link IdentificationExperiment})
 * @param scored candidates stage 2 scored (per setting)
 * @param iterations per setting: Sinkhorn iterations summed over the candidates
 * @param converged per setting: candidates whose Sinkhorn run converged
 * @param fellBack per setting: candidates where either side's weights fell back to uniform
 */
record QueryOutcome(
    boolean noFace,
    Map<String, RankingMetrics.Values> excluded,
    Map<String, RankingMetrics.Values> ownKept,
    int scored,
    int[] iterations,
    int[] converged,
    int[] fellBack) {

  static QueryOutcome noFace(List<String> methods, boolean ownKept) {
    Map<String, RankingMetrics.Values> miss = new LinkedHashMap<>();
    for (String m : methods) {
      miss.put(m, RankingMetrics.Values.MISS);
    }
    return new QueryOutcome(true, miss, ownKept ? miss : null, 0, null, null, null);
  }
}
