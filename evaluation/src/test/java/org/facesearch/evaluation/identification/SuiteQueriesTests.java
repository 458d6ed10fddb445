package org.facesearch.evaluation.identification;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.lucene.util.VectorUtil;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The answers {@link SuiteQueries} hands to the REST comparison are the suite's own: on a few
 * seeded crop and mask queries, its stage-1 list is the brute-force cosine order, and the P@1 of
 * its first hits equals what the suite's metrics code ({@link IdentificationExperiment#evaluate})
 * records for the same query, at stage 1 and after stage 2; the covered-face ranking re-orders the
 * same hits.
 */
public class SuiteQueriesTests {
  private static final long SEED = 11;
  private static SuiteQueries suite;

  @BeforeClass
  public static void open() throws Exception {
    suite =
        SuiteQueries.open(
            Path.of("target/eval-cache"),
            Runtime.getRuntime().availableProcessors(),
            SEED,
            System.out);
  }

  @AfterClass
  public static void close() throws Exception {
    suite.close();
  }

  @Test
  public void answersAreTheSuitesAnswers() {
    List<String> versions = SuiteQueries.versions("crop,mask");
    for (int q : suite.queries(12, SEED)) {
      List<SuiteQueries.Answer> answers = suite.answer(q, versions, true);
      Map<QueryVersion, IdentificationExperiment.Probe> probes =
          suite.experiment().probes(q, QueryVersion.parse("crop,mask"));
      for (SuiteQueries.Answer a : answers) {
        QueryVersion v = QueryVersion.parse(a.version()).get(0);
        float[] query = probes.get(v).embedding();
        assertArrayEquals(bruteForce(query, q), a.stageOne().items());
        QueryOutcome outcome = suite.experiment().evaluate(q, v, probes.get(v));
        String where = a.version() + " of " + suite.name(q);
        assertEquals(
            where,
            outcome.excluded().get(IdentificationExperiment.STAGE_ONE).precisionAt1(),
            p1(a.stageOne(), q),
            0);
        assertEquals(
            where, outcome.excluded().get("apc 7x7").precisionAt1(), p1(a.twoStages(), q), 0);
        // The covered-face ranking re-orders the same 100 hits, best first.
        int[] covered = a.coveredTwoStages().items().clone();
        int[] first = a.stageOne().items().clone();
        java.util.Arrays.sort(covered);
        java.util.Arrays.sort(first);
        assertArrayEquals(where, first, covered);
        float[] scores = a.coveredTwoStages().scores();
        for (int i = 1; i < scores.length; i++) {
          assertTrue(where + ": covered-face scores in order at " + i, scores[i - 1] >= scores[i]);
        }
      }
    }
  }

  private static double p1(SuiteQueries.Ranking r, int q) {
    return suite.samePerson(r.top(), q) ? 1 : 0;
  }

  /**
   * The 100 gallery faces with the highest cosine to {@code query}, the query's own photo left out,
   * by a plain sort.
   */
  private static int[] bruteForce(float[] query, int own) {
    Integer[] order = new Integer[suite.size()];
    float[] score = new float[suite.size()];
    for (int g = 0; g < order.length; g++) {
      order[g] = g;
      score[g] =
          g == own || suite.facesFound(g) == 0
              ? Float.NEGATIVE_INFINITY
              : VectorUtil.dotProduct(query, suite.embedding(g));
    }
    java.util.Arrays.sort(
        order,
        (a, b) -> score[a] != score[b] ? Float.compare(score[b], score[a]) : Integer.compare(a, b));
    int[] out = new int[IdentificationExperiment.WINDOW];
    for (int i = 0; i < out.length; i++) {
      out[i] = order[i];
    }
    return out;
  }
}
