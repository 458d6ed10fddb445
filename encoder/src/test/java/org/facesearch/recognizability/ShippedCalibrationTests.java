package org.facesearch.recognizability;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.facesearch.encoder.EncodeMode;
import org.facesearch.encoder.EncodedFace;
import org.facesearch.encoder.FaceEncoder;
import org.facesearch.image.Resampler;
import org.facesearch.image.RgbImage;
import org.facesearch.model.PackDescriptor;
import org.facesearch.testing.TestData;
import org.junit.Test;

/**
 * The recognizability calibration shipped in the default pack (made by evaluation/run calibrate,
 * see docs/recognizability.md): the stored centroid is unit length as written, and ERS computed
 * with it tells clean LFW faces from their 16x16 copies.
 */
public class ShippedCalibrationTests {

  private static final Path DESCRIPTOR = Path.of("src/main/model-packs/default/pack.json");

  /** The numbers of recognizability.ui_centroid exactly as the committed file stores them. */
  private static List<Double> storedCentroid() throws IOException {
    List<Double> out = new ArrayList<>();
    try (JsonParser p = new JsonFactory().createParser(Files.readAllBytes(DESCRIPTOR))) {
      boolean inSection = false;
      int depth = 0;
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          depth++;
        } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          depth--;
        } else if (t == JsonToken.FIELD_NAME && depth == 1) {
          inSection = p.currentName().equals("recognizability");
        } else if (t == JsonToken.FIELD_NAME
            && inSection
            && depth == 2
            && p.currentName().equals("ui_centroid")) {
          assertEquals(JsonToken.START_ARRAY, p.nextToken());
          for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
            out.add(p.getDoubleValue());
          }
        }
      }
    }
    return out;
  }

  @Test
  public void storedCentroidIsUnitLength() throws IOException {
    List<Double> c = storedCentroid();
    assertEquals(512, c.size());
    double s = 0;
    for (double v : c) {
      s += v * v;
    }
    // Written with 7 decimals: rounding moves the length by well under 1e-5.
    assertEquals(1.0, Math.sqrt(s), 1e-5);
  }

  @Test
  public void loadedPackCarriesTheCalibration() throws IOException {
    PackDescriptor.Recognizability r = TestData.defaultPack().descriptor().recognizability();
    assertNotNull("the default pack ships a recognizability calibration", r);
    assertNotNull(r.uiCentroid());
    assertNotNull(r.ersThreshold());
    assertTrue(
        "threshold in (0, 1): " + r.ersThreshold(), r.ersThreshold() > 0 && r.ersThreshold() < 1);
    assertTrue(r.uiCentroidSource().contains("evaluation/run calibrate"));
    assertTrue(r.ersThresholdSource().contains("evaluation/run calibrate"));
    List<Double> stored = storedCentroid();
    for (int i = 0; i < stored.size(); i++) {
      assertEquals("dimension " + i, stored.get(i), r.uiCentroid()[i], 2e-6);
    }
  }

  /**
   * First photos of 8 people of pairs.txt folds 6-10 (not used to make the centroid). ERS is
   * computed here as min(1, 1 - cos) from the centroid, independently of {@link Recognizability}.
   */
  @Test
  public void ersSeparatesCleanFromSixteenPixelFaces() {
    String[] people = {
      "Aaron_Peirsol",
      "Adrian_Nastase",
      "Ahmed_Chalabi",
      "Albrecht_Mentz",
      "Alejandro_Toledo",
      "Aaron_Guiel",
      "Pascal_Rheaume",
      "Steve_Zahn"
    };
    PackDescriptor.Recognizability r = TestData.defaultPack().descriptor().recognizability();
    FaceEncoder encoder = TestData.encoder();
    List<RgbImage> small = new ArrayList<>();
    double[] clean = new double[people.length];
    for (int i = 0; i < people.length; i++) {
      EncodedFace face =
          encoder.encode(TestData.lfwImage(people[i], 1), EncodeMode.DETECT, 1).get(0);
      clean[i] = ers(r.uiCentroid(), face.embedding());
      RgbImage crop = face.alignedFace();
      small.add(Resampler.resize(Resampler.resize(crop, 16, 16), crop.width(), crop.height()));
    }
    List<EncodedFace> degraded = encoder.embedAligned(small);
    double[] low = new double[people.length];
    for (int i = 0; i < people.length; i++) {
      low[i] = ers(r.uiCentroid(), degraded.get(i).embedding());
    }
    int above = 0;
    int below = 0;
    double meanClean = 0;
    double meanLow = 0;
    for (int i = 0; i < people.length; i++) {
      assertTrue(
          people[i] + ": 16x16 ERS " + low[i] + " not below clean ERS " + clean[i],
          low[i] < clean[i]);
      above += clean[i] >= r.ersThreshold() ? 1 : 0;
      below += low[i] < r.ersThreshold() ? 1 : 0;
      meanClean += clean[i] / people.length;
      meanLow += low[i] / people.length;
    }
    int pairsOrdered = 0;
    for (double c : clean) {
      for (double l : low) {
        pairsOrdered += c > l ? 1 : 0;
      }
    }
    assertTrue("clean above 16x16 in " + pairsOrdered + " of 64 cross pairs", pairsOrdered >= 58);
    assertTrue("mean ERS clean " + meanClean + " vs 16x16 " + meanLow, meanClean - meanLow > 0.15);
    assertTrue(above + " of 8 clean faces pass the shipped threshold", above >= 7);
    assertTrue(below + " of 8 16x16 faces fall below the shipped threshold", below >= 6);
  }

  private static double ers(float[] centroid, float[] embedding) {
    double dot = 0;
    for (int i = 0; i < embedding.length; i++) {
      dot += (double) centroid[i] * embedding[i];
    }
    return Math.min(1, 1 - dot);
  }
}
