package org.facesearch.evaluation.identification;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.facesearch.emd.Grid;
import org.facesearch.emd.Weighting;
import org.facesearch.encoder.EncoderOptions;
import org.facesearch.encoder.FaceEncoder;
import org.facesearch.evaluation.Inputs;
import org.facesearch.evaluation.Lfw;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * A small, seeded version of the identification benchmark on real LFW faces with the real model
 * pack: 300 queries (a sample other than the documented runs'), five query versions, apc on both
 * grids. It asserts only what the documented 1,000-query and full runs (docs/results/stage-two.md)
 * established, with margins a 300-query sample cannot cross (one query is 0.33 points). The gallery
 * is encoded once into target/eval-cache (about 2 minutes on 2 cores the first time) and shared
 * with evaluation/run identification.
 */
public class IdentificationSmallRunTests {
  private static final int QUERIES = 300;
  private static final long SEED = 7;
  private static final String STAGE_ONE = IdentificationExperiment.STAGE_ONE;
  private static final String CEILING = IdentificationExperiment.CEILING;
  private static IdentificationResults results;
  private static int gallerySize;

  @BeforeClass
  public static void run() throws Exception {
    Lfw gallery = Lfw.open();
    gallerySize = gallery.size();
    int threads = Runtime.getRuntime().availableProcessors();
    try (FaceEncoder encoder =
            FaceEncoder.open(Inputs.defaultPack(), EncoderOptions.defaults().withThreads(threads));
        GalleryCache cache =
            GalleryCache.openOrBuild(
                gallery, encoder, Path.of("target/eval-cache"), threads, System.out)) {
      IdentificationExperiment experiment =
          new IdentificationExperiment(
              gallery,
              cache,
              encoder,
              List.of(
                  new EmdConfig(Weighting.APC, Grid.NATIVE),
                  new EmdConfig(Weighting.APC, Grid.POOLED_4X4)),
              SEED);
      results =
          experiment.run(
              gallery.sampleQueries(QUERIES, SEED),
              List.of(
                  QueryVersion.CLEAN,
                  QueryVersion.CROP,
                  QueryVersion.MASK,
                  QueryVersion.LOW_RES_16,
                  QueryVersion.CROP_REALIGNED),
              threads,
              System.out);
    }
    for (QueryVersion v : results.versions()) {
      System.out.printf(
          Locale.ROOT,
          "%s: stage 1 %.1f, apc 7x7 %.1f, apc 4x4 %.1f, ceiling %.1f%n",
          v.key(),
          p1(v, STAGE_ONE),
          p1(v, "apc 7x7"),
          p1(v, "apc 4x4"),
          p1(v, CEILING));
    }
  }

  private static double p1(QueryVersion v, String method) {
    return results.excluded(v, method).precisionAt1();
  }

  @Test
  public void everyQueryIsCounted() {
    // The LFW copy in shared/data: 9,337 images; every one has a face (the full runs found none
    // without).
    assertEquals(9337, gallerySize);
    assertEquals(List.of(), results.queriesWithoutFace());
    for (QueryVersion v : results.versions()) {
      assertEquals(QUERIES, results.excluded(v, STAGE_ONE).count());
    }
  }

  @Test
  public void cleanQueriesAreFoundByStageOne() {
    // Full run: 98.4; 1,000 queries: 97.7.
    assertTrue(
        "clean stage-1 P@1 " + p1(QueryVersion.CLEAN, STAGE_ONE),
        p1(QueryVersion.CLEAN, STAGE_ONE) >= 92);
  }

  @Test
  public void stageOneCollapsesOnCropsThatAreNotRealigned() {
    // A 70% crop of the aligned face, embedded as if aligned: full run 10.5, 1,000 queries 11.8
    // (two stages: 11.4-11.5, 12.6-13.2).
    assertTrue(
        "unaligned crop stage-1 P@1 " + p1(QueryVersion.CROP, STAGE_ONE),
        p1(QueryVersion.CROP, STAGE_ONE) <= 30);
    // Re-detected and re-aligned, the same kind of crop is found nearly as well as the clean face
    // (full run: 96.4 vs 98.4).
    assertTrue(p1(QueryVersion.CROP_REALIGNED, STAGE_ONE) >= p1(QueryVersion.CLEAN, STAGE_ONE) - 8);
    assertTrue(p1(QueryVersion.CROP_REALIGNED, STAGE_ONE) >= p1(QueryVersion.CROP, STAGE_ONE) + 50);
    // Re-ranking does not rescue the unaligned crop: it stays far below the re-aligned one.
    assertTrue(p1(QueryVersion.CROP, "apc 7x7") <= 30);
    assertTrue(p1(QueryVersion.CROP, "apc 4x4") <= 30);
  }

  @Test
  public void occludedAndLowResolutionQueriesLoseAgainstClean() {
    // Full run at stage 1: clean 98.4, mask 59.3, 16x16 8.8 (1,000 queries: 97.7, 61.0, 8.0).
    assertTrue(p1(QueryVersion.MASK, STAGE_ONE) <= p1(QueryVersion.CLEAN, STAGE_ONE) - 15);
    assertTrue(p1(QueryVersion.LOW_RES_16, STAGE_ONE) <= 25);
    // Yet the person is in the top 100 for most masked queries (full run: 92.8).
    assertTrue(p1(QueryVersion.MASK, CEILING) >= 80);
  }

  @Test
  public void stageTwoHelpsMaskedQueriesWhenTheOwnPhotoIsKept() {
    // The published code's protocol (own unaltered photo in the gallery): full run 90.4 -> 95.3
    // with apc 7x7
    // (1,000 queries: 91.6 -> 95.8), the one clear gain of stage 2 with this model.
    assertTrue(
        results.ownKept(QueryVersion.MASK, "apc 7x7").precisionAt1()
            >= results.ownKept(QueryVersion.MASK, STAGE_ONE).precisionAt1());
  }

  @Test
  public void facesAreFoundInAlmostEveryReAlignedCrop() {
    // Full run: no face in 4 of 6,684 cropped photos.
    assertTrue(results.noFace(QueryVersion.CROP_REALIGNED) <= QUERIES / 100);
  }

  @Test
  public void stageTwoStaysCloseToStageOneOnCleanQueries() {
    for (String config : results.configLabels()) {
      assertEquals(config, p1(QueryVersion.CLEAN, STAGE_ONE), p1(QueryVersion.CLEAN, config), 3);
    }
  }

  @Test
  public void theCeilingBoundsEveryReranking() {
    List<ToDoubleFunction<MetricTotals>> metrics =
        List.of(MetricTotals::precisionAt1, MetricTotals::rPrecision, MetricTotals::mapAtR);
    for (QueryVersion v : results.versions()) {
      for (ToDoubleFunction<MetricTotals> m : metrics) {
        double ceiling = m.applyAsDouble(results.excluded(v, CEILING));
        assertTrue(ceiling >= m.applyAsDouble(results.excluded(v, STAGE_ONE)));
        for (String config : results.configLabels()) {
          assertTrue(v + " " + config, ceiling >= m.applyAsDouble(results.excluded(v, config)));
        }
      }
    }
  }

  @Test
  public void keepingTheOwnPhotoNeverLowersPrecisionAtOne() {
    for (QueryVersion v : results.versions()) {
      if (!results.hasOwnKept(v)) {
        continue;
      }
      for (String method : List.of(STAGE_ONE, CEILING)) {
        assertTrue(
            v + " " + method,
            results.ownKept(v, method).precisionAt1()
                >= results.excluded(v, method).precisionAt1());
      }
    }
  }

  @Test
  public void sinkhornConvergesQuicklyOnRealFaces() {
    // Full run: every candidate converged, in about 6 (7x7) and 4 (4x4) iterations on average; no
    // weights fell back.
    for (int c = 0; c < results.configLabels().size(); c++) {
      assertTrue(results.convergedFraction(c) >= 0.99);
      assertTrue(results.meanIterations(c) <= 20);
      assertEquals(0, results.fellBack(c));
    }
  }
}
