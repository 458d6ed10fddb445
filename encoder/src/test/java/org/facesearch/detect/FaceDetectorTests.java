package org.facesearch.detect;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.facesearch.image.ImageDecoder;
import org.facesearch.image.ImageLimits;
import org.facesearch.image.RgbImage;
import org.facesearch.model.Device;
import org.facesearch.model.ModelSessions;
import org.facesearch.testing.TestData;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

public class FaceDetectorTests {
  private static ModelSessions sessions;
  private static FaceDetector detector;
  private static final ImageDecoder DECODER = new ImageDecoder(ImageLimits.DEFAULT);

  @BeforeClass
  public static void open() {
    sessions = ModelSessions.open(TestData.defaultPack(), Device.CPU);
    detector = new FaceDetector(sessions);
  }

  @AfterClass
  public static void close() {
    sessions.close();
  }

  @Test
  public void findsTheFaceInTheMiddleOfAnLfwPhoto() {
    for (String person : new String[] {"Aaron_Eckhart", "Abel_Pacheco", "Bill_Gates"}) {
      RgbImage img = DECODER.decode(TestData.lfwImage(person, 1));
      List<Detection> faces = detector.detect(img);
      assertTrue(person + ": a face", !faces.isEmpty());
      // LFW photos are 250 x 250 and centred on the person.
      Detection centred = null;
      for (Detection d : faces) {
        float cx = (d.x1() + d.x2()) / 2;
        float cy = (d.y1() + d.y2()) / 2;
        if (Math.abs(cx - 125) < 25 && Math.abs(cy - 125) < 30) {
          centred = d;
        }
      }
      assertTrue(person + ": a face near the centre in " + faces, centred != null);
      assertTrue(person + ": score " + centred.score(), centred.score() >= 0.74f);
      assertTrue(
          person + ": plausible face height " + centred.height(),
          centred.height() > 60 && centred.height() < 200);
    }
  }

  @Test
  public void findsNothingInAFlatImage() {
    byte[] grey = new byte[200 * 150 * 3];
    java.util.Arrays.fill(grey, (byte) 128);
    assertEquals(List.of(), detector.detect(new RgbImage(200, 150, grey)));
  }

  @Test
  public void findsTwoFacesSideBySide() {
    RgbImage a = DECODER.decode(TestData.lfwImage("Aaron_Eckhart", 1));
    RgbImage b = DECODER.decode(TestData.lfwImage("Bill_Gates", 1));
    // Only the central 150 x 150 of each, so background people stay out.
    int w = 150;
    byte[] both = new byte[2 * w * w * 3];
    for (int y = 0; y < w; y++) {
      System.arraycopy(a.pixels(), ((y + 50) * 250 + 50) * 3, both, y * 2 * w * 3, w * 3);
      System.arraycopy(b.pixels(), ((y + 50) * 250 + 50) * 3, both, (y * 2 * w + w) * 3, w * 3);
    }
    List<Detection> faces = detector.detect(new RgbImage(2 * w, w, both));
    assertEquals("two faces in " + faces, 2, faces.size());
    float left =
        Math.min(
            (faces.get(0).x1() + faces.get(0).x2()) / 2,
            (faces.get(1).x1() + faces.get(1).x2()) / 2);
    float right =
        Math.max(
            (faces.get(0).x1() + faces.get(0).x2()) / 2,
            (faces.get(1).x1() + faces.get(1).x2()) / 2);
    assertTrue("one in each half: " + faces, left < w && right > w);
  }
}
