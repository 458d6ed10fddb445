package org.facesearch.evaluation.recognizability;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.facesearch.image.RgbImage;
import org.facesearch.model.PackDescriptor;
import org.facesearch.recognizability.Degradations;
import org.junit.Test;

/** The recognizability evaluation's own arithmetic, against hand-computed values. */
public class RecognizabilityBenchTests {

  private static RgbImage filled(int w, int h, int r, int g, int b) {
    byte[] px = new byte[w * h * 3];
    for (int i = 0; i < px.length; i += 3) {
      px[i] = (byte) r;
      px[i + 1] = (byte) g;
      px[i + 2] = (byte) b;
    }
    return new RgbImage(w, h, px);
  }

  private static void set(RgbImage im, int x, int y, int v) {
    int o = (y * im.width() + x) * 3;
    im.pixels()[o] = (byte) v;
    im.pixels()[o + 1] = (byte) v;
    im.pixels()[o + 2] = (byte) v;
  }

  @Test
  public void ercByHand() {
    // Images 0..3 with quality 0.1, 0.9, 0.5, 0.7. Pairs: (0,1) genuine 0.2, (1,2) genuine 0.8,
    // (2,3) impostor 0.3, (0,3) impostor 0.1, (1,3) genuine 0.9. At FMR 0 the threshold is the
    // highest impostor score, 0.3 (accept strictly above).
    int[] a = {0, 1, 2, 0, 1};
    int[] b = {1, 2, 3, 3, 3};
    boolean[] same = {true, true, false, false, true};
    double[] score = {0.2, 0.8, 0.3, 0.1, 0.9};
    double[] quality = {0.1, 0.9, 0.5, 0.7};
    Erc.Curve c = Erc.compute(a, b, same, score, quality, 0, new double[] {0, 0.25, 0.5});
    assertEquals(0.3, c.threshold(), 0);
    Erc.Point p0 = c.at(0);
    assertEquals(1 / 3.0, p0.fnmr(), 1e-12); // (0,1) at 0.2 is missed
    assertEquals(3, p0.genuineLeft());
    assertEquals(2, p0.impostorLeft());
    assertEquals(0.1, p0.qualityCut(), 0);
    Erc.Point p1 = c.at(0.25); // image 0 dropped with pairs (0,1) and (0,3)
    assertEquals(0, p1.fnmr(), 0);
    assertEquals(2, p1.genuineLeft());
    assertEquals(1, p1.impostorLeft());
    assertEquals(0.5, p1.qualityCut(), 0);
    Erc.Point p2 = c.at(0.5); // images 0 and 2 dropped: only (1,3) is left
    assertEquals(1, p2.genuineLeft());
    assertEquals(0, p2.impostorLeft());
    assertEquals(0.7, p2.qualityCut(), 0);
  }

  @Test
  public void thresholdRuleByHand() {
    // FNMR(0) = 3%; lowest over r <= 10% is 1% (the 0.1% at r = 20% is past the cap); half-way
    // level 2%; first reached at r = 5% (2.1% at 2% is not enough), lowest ERS kept 0.857 -> 0.85.
    Erc.Curve c =
        new Erc.Curve(
            0.3,
            1e-3,
            1,
            List.of(
                new Erc.Point(0, 0.4, 100, 100, 0.03),
                new Erc.Point(0.01, 0.7, 98, 98, 0.025),
                new Erc.Point(0.02, 0.8, 96, 96, 0.021),
                new Erc.Point(0.05, 0.857, 90, 90, 0.02),
                new Erc.Point(0.10, 0.9, 80, 80, 0.01),
                new Erc.Point(0.20, 0.95, 60, 60, 0.001)));
    Calibrate.Choice choice = Calibrate.chooseThreshold(c);
    assertEquals(0.01, choice.best(), 1e-12);
    assertEquals(0.02, choice.level(), 1e-12);
    assertEquals(0.05, choice.point().rejected(), 0);
    assertEquals(0.85, choice.gamma(), 1e-12);
  }

  @Test
  public void occlusions() {
    RgbImage base = filled(112, 112, 1, 2, 3);
    RgbImage lower = DegradationRecipes.halfOccluded(base, false);
    assertEquals(1, lower.sample(50, 55, 0));
    assertEquals(128, lower.sample(50, 56, 0));
    assertEquals(128, DegradationRecipes.halfOccluded(base, true).sample(0, 55, 2));
    for (double fraction : new double[] {0.25, 0.5, 0.75}) {
      for (int seed = 0; seed < 20; seed++) {
        RgbImage o = Degradations.occludeFraction(base, fraction, new Random(seed));
        int painted = 0;
        for (int y = 0; y < 112; y++) {
          for (int x = 0; x < 112; x++) {
            painted += o.sample(x, y, 0) == 1 && o.sample(x, y, 1) == 2 ? 0 : 1;
          }
        }
        double covered = painted / (112.0 * 112);
        if (fraction <= 0.25) {
          // A quarter of the crop fits at any aspect in 0.5..2: only rounding moves it.
          assertEquals(fraction, covered, 0.01);
        } else {
          // Clipped to the crop: elongated rectangles cover less than asked, never more.
          assertTrue(
              fraction + " covered " + covered,
              covered <= fraction + 0.01 && covered >= 0.7 * fraction);
        }
      }
    }
  }

  @Test
  public void recipesAreDeterministicPerSeed() {
    RgbImage face = filled(112, 112, 0, 0, 0);
    for (int i = 0; i < 112; i++) {
      set(face, i, i, 255);
      set(face, 111 - i, i, 200);
    }
    assertArrayEquals(
        Degradations.heavy(face, new Random(5)).pixels(),
        Degradations.heavy(face, new Random(5)).pixels());
    DegradationRecipes.Degraded a = DegradationRecipes.random(face, new Random(6));
    DegradationRecipes.Degraded b = DegradationRecipes.random(face, new Random(6));
    assertEquals(a.kind(), b.kind());
    assertArrayEquals(a.image().pixels(), b.image().pixels());
    assertEquals(112, DegradationRecipes.heavyOne(face, new Random(7)).width());
  }

  /**
   * LfwFaces.random must not give neighbouring items alike numbers (java.util.Random with
   * consecutive seeds does).
   */
  @Test
  public void perItemGeneratorsAreIndependentOfTheirNeighbours() {
    int trues = 0;
    int sameAsPrevious = 0;
    boolean previous = false;
    for (int i = 0; i < 4000; i++) {
      boolean b = LfwFaces.random(5, i).nextBoolean();
      trues += b ? 1 : 0;
      sameAsPrevious += i > 0 && b == previous ? 1 : 0;
      previous = b;
    }
    assertEquals(2000, trues, 150);
    assertEquals(2000, sameAsPrevious, 150);
    assertNotEquals(LfwFaces.random(5, 0).nextLong(), LfwFaces.random(6, 0).nextLong());
  }

  @Test
  public void packWriterReplacesOnlyTheRecognizabilitySection() throws Exception {
    Path source = Path.of("../encoder/src/main/model-packs/default/pack.json");
    String original = Files.readString(source, StandardCharsets.UTF_8);
    Path copy = Files.createTempFile("pack", ".json");
    Files.writeString(copy, original);
    float[] centroid = new float[512];
    centroid[7] = 2; // normalised at load
    for (int round = 0; round < 2; round++) { // the second write replaces the first
      PackWriter.write(copy, centroid, "made by \"a test\"", 0.5 + round / 10.0, "rule\\n");
    }
    String written = Files.readString(copy, StandardCharsets.UTF_8);
    assertEquals(1, written.split("\"recognizability\"", -1).length - 1);
    int key = original.indexOf(",\n  \"recognizability\"");
    String head =
        key >= 0
            ? original.substring(0, key)
            : original.substring(0, original.lastIndexOf('}')).stripTrailing();
    assertTrue(
        "everything before the section is kept",
        written.startsWith(head + ",\n  \"recognizability\""));
    PackDescriptor d = PackDescriptor.parse(written.getBytes(StandardCharsets.UTF_8));
    assertEquals(1f, d.recognizability().uiCentroid()[7], 0f);
    assertEquals(0.6, d.recognizability().ersThreshold(), 1e-12);
    assertEquals("made by \"a test\"", d.recognizability().uiCentroidSource());
    assertEquals("rule\\n", d.recognizability().ersThresholdSource());
    assertEquals(512, d.feature().embeddingDims());
    assertTrue(
        Arrays.equals(
            PackDescriptor.parse(original.getBytes(StandardCharsets.UTF_8))
                .sha256()
                .values()
                .toArray(),
            d.sha256().values().toArray()));
    Files.delete(copy);
  }
}
