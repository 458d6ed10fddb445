package org.facesearch.plugin.compare;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.lucene.util.VectorUtil;
import org.facesearch.emd.EmdParams;
import org.facesearch.emd.Flow;
import org.facesearch.encoder.EncodeMode;
import org.facesearch.image.RgbImage;
import org.facesearch.patches.PatchMap;
import org.facesearch.recognizability.CellOcclusion;
import org.facesearch.verification.VerificationCalibration;
import org.opensearch.test.OpenSearchTestCase;

/**
 * A 1:1 comparison against hand-made expectations: the cosine of two faces built at a known angle,
 * the decision and its reason at and around the threshold, the recognizability gate, the stage-2
 * score as {@code alpha * EMD + (1 - alpha) * cosine}; and its picture, read back pixel by pixel
 * where the drawing must have put covered cells, a stored face's empty panel and a flow.
 */
public class ComparisonTests extends OpenSearchTestCase {

  private static final int DIMS = 16;
  private static final CompareRequest.Side PHOTO =
      new CompareRequest.Side(
          "a", new byte[] {1}, EncodeMode.DETECT, null, null, null, null, null, null);
  private static final CompareRequest.Side STORED =
      new CompareRequest.Side("b", null, null, null, null, "gallery", "7", "face", null);
  private static final Comparison.Threshold AT_1E4 = new Comparison.Threshold(0.41, 1e-4, 0.05);

  /** A unit vector and a second one at cosine {@code cosine} to it. */
  private static float[][] pair(Random random, double cosine) {
    float[] a = unit(random);
    float[] r = unit(random);
    float along = VectorUtil.dotProduct(a, r);
    float[] orthogonal = new float[DIMS];
    for (int i = 0; i < DIMS; i++) {
      orthogonal[i] = r[i] - along * a[i];
    }
    VectorUtil.l2normalize(orthogonal);
    float[] b = new float[DIMS];
    double sine = Math.sqrt(1 - cosine * cosine);
    for (int i = 0; i < DIMS; i++) {
      b[i] = (float) (cosine * a[i] + sine * orthogonal[i]);
    }
    return new float[][] {a, VectorUtil.l2normalize(b)};
  }

  private static float[] unit(Random random) {
    float[] v = new float[DIMS];
    for (int i = 0; i < DIMS; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return VectorUtil.l2normalize(v);
  }

  private static PatchMap patches(Random random) {
    float[] chw = new float[DIMS * 7 * 7];
    for (int i = 0; i < chw.length; i++) {
      chw[i] = (float) random.nextGaussian() + 1; // a shared offset: cells alike, as a model's are
    }
    return PatchMap.fromChannelMajor(chw, DIMS, 7, 7);
  }

  private static Comparison.Face face(
      CompareRequest.Side side, float[] embedding, PatchMap patches, Float ers) {
    return new Comparison.Face(side, embedding, patches, ers, null, null, null, null, null);
  }

  public void testDecidesByTheCosineAtTheThreshold() {
    Random random = new Random(random().nextLong());
    float[][] close = pair(random, 0.5);
    Comparison match =
        new Comparison(
            face(PHOTO, close[0], null, 0.9f),
            face(STORED, close[1], null, 0.95f),
            AT_1E4,
            0.81f,
            EmdParams.defaults(),
            false);
    assertEquals(0.5, match.cosine, 1e-5);
    assertEquals(Comparison.Decision.MATCH, match.decision);
    assertEquals(
        "cosine 0.5000 is at or above 0.4100, the threshold at false-match rate 1e-4",
        match.reason);
    assertNull("no patch maps: no stage-2 score", match.emd);

    float[][] far = pair(random, 0.3);
    Comparison noMatch =
        new Comparison(
            face(PHOTO, far[0], null, 0.9f),
            face(STORED, far[1], null, 0.95f),
            AT_1E4,
            0.81f,
            EmdParams.defaults(),
            false);
    assertEquals(Comparison.Decision.NO_MATCH, noMatch.decision);
    assertEquals(
        "cosine 0.3000 is below 0.4100, the threshold at false-match rate 1e-4", noMatch.reason);

    Comparison byCosine =
        new Comparison(
            face(PHOTO, far[0], null, 0.9f),
            face(STORED, far[1], null, 0.95f),
            new Comparison.Threshold(0.25, null, null),
            0.81f,
            EmdParams.defaults(),
            false);
    assertEquals(Comparison.Decision.MATCH, byCosine.decision);
    assertEquals("cosine 0.3000 is at or above min_similarity 0.2500", byCosine.reason);
  }

  public void testAnUnrecognizableFaceLeavesThePairUndecided() {
    float[][] close = pair(new Random(random().nextLong()), 0.6);
    Comparison one =
        new Comparison(
            face(PHOTO, close[0], null, 0.9f),
            face(STORED, close[1], null, 0.42f),
            AT_1E4,
            0.81f,
            EmdParams.defaults(),
            false);
    assertEquals(Comparison.Decision.UNDECIDED, one.decision);
    assertEquals("face b is unrecognizable: ERS 0.420 below 0.81", one.reason);
    assertTrue(one.unrecognizable(one.b));
    assertFalse(one.unrecognizable(one.a));
    Comparison both =
        new Comparison(
            face(PHOTO, close[0], null, 0.4f),
            face(STORED, close[1], null, 0.42f),
            AT_1E4,
            0.81f,
            EmdParams.defaults(),
            false);
    assertEquals("faces a and b are unrecognizable: ERS 0.400 and 0.420, below 0.81", both.reason);
    // Without a recognizability threshold (a model without one) every pair is decided.
    Comparison ungated =
        new Comparison(
            face(PHOTO, close[0], null, 0.4f),
            face(STORED, close[1], null, 0.42f),
            AT_1E4,
            null,
            EmdParams.defaults(),
            false);
    assertEquals(Comparison.Decision.MATCH, ungated.decision);
  }

  public void testTheStageTwoScoreCombinesEmdAndCosine() {
    Random random = new Random(random().nextLong());
    float[][] close = pair(random, 0.45);
    EmdParams params = EmdParams.defaults().toBuilder().alpha(0.6).flows(5).build();
    Comparison c =
        new Comparison(
            face(PHOTO, close[0], patches(random), 0.9f),
            face(STORED, close[1], patches(random), 0.9f),
            AT_1E4,
            0.81f,
            params,
            false);
    assertNotNull(c.emd);
    assertEquals(0.6 * c.emd.emdSimilarity() + 0.4 * c.cosine, c.emd.score(), 1e-9);
    assertTrue(
        "EMD similarity is a flow-weighted mean of cell cosines",
        c.emd.emdSimilarity() >= -1 && c.emd.emdSimilarity() <= 1);
    List<Flow> flows = c.emd.flows();
    assertEquals(5, flows.size());
    for (int i = 1; i < flows.size(); i++) {
      assertTrue("strongest first", flows.get(i).mass() <= flows.get(i - 1).mass());
    }
  }

  public void testThresholdsComeFromTheCalibrationOrTheCosineGiven() {
    VerificationCalibration calibration =
        new VerificationCalibration(
            List.of(
                new VerificationCalibration.Point(1e-2, 0.25, 0.01),
                new VerificationCalibration.Point(1e-4, 0.41, 0.05),
                new VerificationCalibration.Point(1e-6, 0.55, 0.2)),
            "test");
    CompareRequest byDefault =
        new CompareRequest(PHOTO, STORED, null, null, null, "default", EmdParams.defaults(), false);
    assertEquals(
        new Comparison.Threshold(0.41, 1e-4, 0.05),
        Comparison.Threshold.of(byDefault, calibration, "m@1"));
    CompareRequest rate =
        new CompareRequest(PHOTO, STORED, 1e-3, null, null, "default", EmdParams.defaults(), false);
    Comparison.Threshold t = Comparison.Threshold.of(rate, calibration, "m@1");
    assertEquals(0.33, t.cosine(), 1e-12); // half way, on the log scale, from 1e-2 to 1e-4
    assertEquals(0.03, t.fnmr(), 1e-12);
    CompareRequest cosine =
        new CompareRequest(PHOTO, STORED, null, 0.5f, null, "default", EmdParams.defaults(), false);
    assertEquals(
        new Comparison.Threshold(0.5, null, null), Comparison.Threshold.of(cosine, null, "m@1"));
    IllegalArgumentException e =
        expectThrows(
            IllegalArgumentException.class,
            () ->
                Comparison.Threshold.of(
                    new CompareRequest(
                        PHOTO, STORED, 1e-8, null, null, "default", EmdParams.defaults(), false),
                    calibration,
                    "m@1"));
    assertEquals(
        "[fmr] false-match rate 1e-8 is outside the calibrated range 1e-6 to 1e-2 of model [m@1]",
        e.getMessage());
    e =
        expectThrows(
            IllegalArgumentException.class, () -> Comparison.Threshold.of(byDefault, null, "m@1"));
    assertEquals(
        "model [m@1] has no verification calibration, so [fmr] cannot be turned into a threshold: give [min_similarity] (a cosine)",
        e.getMessage());
  }

  public void testThePictureShowsTheFacesTheCoveredCellsAndTheFlows() throws IOException {
    Random random = new Random(random().nextLong());
    // An aligned "photo": a smooth gradient with noise, its bottom two cell rows painted black
    // (covered).
    int size = 112;
    byte[] rgb = new byte[size * size * 3];
    for (int y = 0; y < size; y++) {
      for (int x = 0; y < 80 && x < size; x++) {
        int o = (y * size + x) * 3;
        rgb[o] = (byte) (100 + x / 2 + random.nextInt(20));
        rgb[o + 1] = (byte) (80 + y / 2 + random.nextInt(20));
        rgb[o + 2] = (byte) (60 + random.nextInt(20));
      }
    }
    RgbImage aligned = new RgbImage(size, size, rgb);
    float[] occlusion = CellOcclusion.flatShares(aligned, 7, 7);
    assertTrue("the bottom row is covered", occlusion[6 * 7 + 3] >= ComparePicture.COVERED_CELL);
    assertTrue("the top row is not", occlusion[3] < ComparePicture.COVERED_CELL);
    float[][] close = pair(random, 0.5);
    PatchMap pa = patches(random);
    Comparison.Face a =
        new Comparison.Face(
            PHOTO,
            close[0],
            pa,
            0.9f,
            aligned,
            occlusion,
            new float[49],
            new float[] {1, 2, 3, 4},
            0.99f);
    Comparison.Face b = face(STORED, close[1], patches(random), 0.5f);
    Comparison c =
        new Comparison(
            a, b, AT_1E4, 0.81f, EmdParams.defaults().toBuilder().flows(3).build(), false);

    byte[] png = ComparePicture.png(c, size, "default@0.0.1");
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    int panel = size * ComparePicture.SCALE;
    assertEquals(20 + 336 + 120 + 336 + 20, image.getWidth());
    int lines = ComparePicture.text(c, "default@0.0.1").size();
    assertEquals(20 + 30 + panel + 20 + 20 * (lines + 1) + 20, image.getHeight());
    int top = 50;
    int leftA = 20;
    int leftB = 20 + panel + 120;
    int cell = panel / 7;
    // A covered cell of face a: black pixels under the translucent orange.
    Color covered = new Color(image.getRGB(leftA + 6 + cell / 4, top + 6 * cell + cell / 4));
    assertTrue(
        "covered cell drawn orange: " + covered,
        covered.getRed() > 60 && covered.getRed() > 2 * covered.getBlue());
    // Flows run between cell centres, so nothing is drawn above the first row's centres: the top of
    // face a is the photo's own colours (red 100 and up, blue 60 to 80), the top of face b its
    // empty panel.
    Color photo = new Color(image.getRGB(leftA + cell / 4, top + 10));
    assertTrue("photo drawn: " + photo, photo.getRed() >= 90 && photo.getBlue() <= 90);
    // Face b is stored and unrecognizable (ERS 0.5 < 0.81): no photo, its panel dimmed.
    Color stored = new Color(image.getRGB(leftB + cell / 4, top + 10));
    assertTrue(
        "stored panel dark and dimmed: " + stored,
        stored.getRed() < 0x3a && stored.getGreen() < 0x3f && stored.getBlue() < 0x47);
    // The strongest flow runs from its cell of a to its cell of b, drawn last: at the middle of its
    // arc (half the bend from the straight line's midpoint) the line is blue.
    Flow strongest = c.emd.flows().get(0);
    double x1 = leftA + (strongest.queryCol() + 0.5) * panel / 7.0;
    double y1 = top + (strongest.queryRow() + 0.5) * panel / 7.0;
    double x2 = leftB + (strongest.galleryCol() + 0.5) * panel / 7.0;
    double y2 = top + (strongest.galleryRow() + 0.5) * panel / 7.0;
    double xm = (x1 + x2) / 2;
    double ym = (y1 + y2) / 2 + ComparePicture.bend(0) / 2;
    Color flow = new Color(image.getRGB((int) Math.round(xm), (int) Math.round(ym)));
    assertTrue(
        "flow drawn in blue at (" + xm + ", " + ym + "): " + flow,
        flow.getBlue() > 150 && flow.getRed() < 100);
    // Away from lines, the gap is background.
    Color background = new Color(image.getRGB(leftA + panel + 60, top - 5));
    assertEquals(Color.WHITE, background);
    assertTrue(
        ComparePicture.text(c, "default@0.0.1")
            .get(0)
            .startsWith("UNDECIDED: face b is unrecognizable: ERS 0.500 below 0.81"));
  }
}
