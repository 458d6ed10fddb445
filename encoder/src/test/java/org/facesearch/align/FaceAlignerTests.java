package org.facesearch.align;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.facesearch.encoder.EncodeMode;
import org.facesearch.encoder.EncodedFace;
import org.facesearch.encoder.FaceEncoder;
import org.facesearch.image.RgbImage;
import org.facesearch.testing.TestData;
import org.junit.Test;

public class FaceAlignerTests {

  private static RgbImage pattern(int w, int h) {
    byte[] rgb = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = (y * w + x) * 3;
        rgb[i] = (byte) (x * 7);
        rgb[i + 1] = (byte) (y * 5);
        rgb[i + 2] = (byte) ((x + y) * 3);
      }
    }
    return new RgbImage(w, h, rgb);
  }

  @Test
  public void integerShiftMovesPixelsExactlyAndFillsBlack() {
    RgbImage src = pattern(20, 16);
    // output(u, v) = src(u + 3, v + 2)
    RgbImage out = FaceAligner.warp(src, new SimilarityTransform(1, 0, -3, -2), 20, 16);
    for (int v = 0; v < 16; v++) {
      for (int u = 0; u < 20; u++) {
        for (int c = 0; c < 3; c++) {
          int expected = u + 3 < 20 && v + 2 < 16 ? src.sample(u + 3, v + 2, c) : 0;
          assertEquals("pixel " + u + "," + v, expected, out.sample(u, v, c));
        }
      }
    }
  }

  @Test
  public void halfPixelShiftAveragesNeighbours() {
    RgbImage src = pattern(10, 10);
    RgbImage out = FaceAligner.warp(src, new SimilarityTransform(1, 0, -0.5, 0), 10, 10);
    for (int u = 0; u < 9; u++) {
      double expected = (src.sample(u, 4, 1) + src.sample(u + 1, 4, 1)) / 2.0;
      assertEquals(Math.round(expected), out.sample(u, 4, 1));
    }
  }

  @Test
  public void quarterTurnRotatesThePicture() {
    RgbImage src = pattern(12, 12);
    // output(u, v) = src(v, 11 - u): a quarter turn about the centre.
    SimilarityTransform toOutput = new SimilarityTransform(0, -1, 0, 11).inverse();
    RgbImage out = FaceAligner.warp(src, toOutput, 12, 12);
    for (int v = 0; v < 12; v++) {
      for (int u = 0; u < 12; u++) {
        assertEquals(src.sample(v, 11 - u, 0), out.sample(u, v, 0));
      }
    }
  }

  /**
   * The pipeline's aligned crop, put on a black canvas and run through detection and landmarks
   * again, must land its 5 points on the template: within 3 pixels on average (the similarity fit
   * itself leaves about that much for turned heads), and within 2 pixels of where the first pass's
   * points went through the same transform (landmarks and warp agree).
   */
  @Test
  public void alignedCropsRedetectOnTheTemplate() {
    FaceEncoder encoder = TestData.encoder();
    float[] template = encoder.pack().descriptor().feature().alignmentTemplate();
    FaceAligner aligner = new FaceAligner(template, 112);
    String[] people = {
      "Aaron_Eckhart",
      "Abel_Pacheco",
      "Bill_Gates",
      "Colin_Powell",
      "Gloria_Macapagal_Arroyo",
      "Hugo_Chavez",
      "Jean_Chretien",
      "Laura_Bush",
      "Serena_Williams",
      "Tony_Blair"
    };
    int pad = 56;
    double toTemplate = 0;
    double toMapped = 0;
    List<String> report = new ArrayList<>();
    for (String person : people) {
      EncodedFace face = encoder.encode(TestData.lfwImage(person, 1), EncodeMode.DETECT, 1).get(0);
      RgbImage crop = face.alignedFace();
      int w = 112 + 2 * pad;
      byte[] canvas = new byte[w * w * 3];
      for (int y = 0; y < 112; y++) {
        System.arraycopy(crop.pixels(), y * 112 * 3, canvas, ((y + pad) * w + pad) * 3, 112 * 3);
      }
      List<EncodedFace> again = encoder.encode(new RgbImage(w, w, canvas), EncodeMode.DETECT, 1);
      assertEquals(person + ": the aligned face is found again", 1, again.size());
      float[] lm = again.get(0).landmarks();
      SimilarityTransform t = aligner.transform(face.landmarks());
      double e1 = 0;
      double e2 = 0;
      for (int i = 0; i < 5; i++) {
        double x = lm[2 * i] - 0.5 - pad;
        double y = lm[2 * i + 1] - 0.5 - pad;
        e1 += Math.hypot(x - template[2 * i], y - template[2 * i + 1]) / 5;
        double[] q = t.apply(face.landmarks()[2 * i] - 0.5, face.landmarks()[2 * i + 1] - 0.5);
        e2 += Math.hypot(x - q[0], y - q[1]) / 5;
      }
      report.add(String.format(java.util.Locale.ROOT, "%s %.2f/%.2f", person, e1, e2));
      toTemplate += e1 / people.length;
      toMapped += e2 / people.length;
    }
    assertTrue("mean error vs template " + toTemplate + " px: " + report, toTemplate <= 3.0);
    assertTrue(
        "mean error vs transformed first pass " + toMapped + " px: " + report, toMapped <= 2.0);
  }

  @Test
  public void outsideMarksThePixelsPastThePhotosEdge() {
    // output(u, v) = src(u - 10, v): columns 0-9 sample left of the photo, and a 100-wide photo
    // ends at x = 99, so columns 110 and 111 sample past its right edge.
    boolean[] outside =
        FaceAligner.outside(new SimilarityTransform(1, 0, 10, 0), 100, 200, 112, 112);
    for (int v = 0; v < 112; v++) {
      for (int u = 0; u < 112; u++) {
        assertEquals("pixel " + u + "," + v, u < 10 || u >= 110, outside[v * 112 + u]);
      }
    }
    // Per cell of a 7x7 grid (16 pixels a side): 10 of 16 columns in the first column of cells,
    // 2 of 16 in the last, none in between.
    float[] shares = org.facesearch.recognizability.CellOcclusion.shares(outside, 112, 112, 7, 7);
    for (int cell = 0; cell < 49; cell++) {
      int col = cell % 7;
      assertEquals("cell " + cell, col == 0 ? 10f / 16 : col == 6 ? 2f / 16 : 0f, shares[cell], 0f);
    }
    // The warp paints exactly those pixels black (in a photo with no black of its own).
    RgbImage photo = pattern(100, 200);
    byte[] px = photo.pixels();
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) Math.max(1, px[i] & 0xFF);
    }
    RgbImage out = FaceAligner.warp(photo, new SimilarityTransform(1, 0, 10, 0), 112, 112);
    for (int u = 0; u < 112; u++) {
      boolean black =
          out.sample(u, 50, 0) == 0 && out.sample(u, 50, 1) == 0 && out.sample(u, 50, 2) == 0;
      assertEquals("column " + u, outside[50 * 112 + u], black);
    }
  }
}
