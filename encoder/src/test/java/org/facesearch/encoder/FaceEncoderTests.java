package org.facesearch.encoder;

import static org.facesearch.testing.TestData.dot;
import static org.facesearch.testing.TestData.norm;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.facesearch.image.ImageDecoder;
import org.facesearch.image.ImageLimits;
import org.facesearch.image.ImageRejectedException;
import org.facesearch.image.RgbImage;
import org.facesearch.testing.TestData;
import org.junit.Test;

public class FaceEncoderTests {

  private static EncodedFace first(String person, int number) {
    List<EncodedFace> faces =
        TestData.encoder().encode(TestData.lfwImage(person, number), EncodeMode.DETECT, 1);
    assertEquals(person + " " + number, 1, faces.size());
    return faces.get(0);
  }

  /**
   * Pairs from the start of LFW's pairs.txt (fold 1): every same-person pair must score above every
   * different-person pair. (The pipeline reaches 99.1% over all 6000 pairs; see docs/encoder.md.)
   */
  @Test
  public void samePersonPairsScoreAboveDifferentPersonPairs() {
    String[][] same = {
      {"Abel_Pacheco", "1", "4"},
      {"Akhmed_Zakayev", "1", "3"},
      {"Akhmed_Zakayev", "2", "3"},
      {"Amber_Tamblyn", "1", "2"},
      {"Anders_Fogh_Rasmussen", "1", "3"},
      {"Anders_Fogh_Rasmussen", "1", "4"}
    };
    String[][] different = {
      {"Abdel_Madi_Shabneh", "1", "Dean_Barker", "1"},
      {"Abdel_Madi_Shabneh", "1", "Giancarlo_Fisichella", "1"},
      {"Abdel_Madi_Shabneh", "1", "Mikhail_Gorbachev", "1"},
      {"Abdul_Rahman", "1", "Portia_de_Rossi", "1"},
      {"Abel_Pacheco", "1", "Jong_Thae_Hwa", "2"},
      {"Abel_Pacheco", "2", "Jean-Francois_Lemounier", "1"}
    };
    float lowestSame = Float.POSITIVE_INFINITY;
    float highestDifferent = Float.NEGATIVE_INFINITY;
    for (String[] p : same) {
      lowestSame =
          Math.min(
              lowestSame,
              dot(
                  first(p[0], Integer.parseInt(p[1])).embedding(),
                  first(p[0], Integer.parseInt(p[2])).embedding()));
    }
    for (String[] p : different) {
      highestDifferent =
          Math.max(
              highestDifferent,
              dot(
                  first(p[0], Integer.parseInt(p[1])).embedding(),
                  first(p[2], Integer.parseInt(p[3])).embedding()));
    }
    assertTrue(
        "lowest same-person cosine "
            + lowestSame
            + " vs highest different-person "
            + highestDifferent,
        lowestSame > highestDifferent);
    assertTrue(
        "LFW's threshold region is around 0.28: same "
            + lowestSame
            + ", different "
            + highestDifferent,
        lowestSame > 0.28f && highestDifferent < 0.28f);
  }

  @Test
  public void outputsHaveTheDocumentedShapesAndNorms() {
    EncodedFace f = first("Aaron_Eckhart", 1);
    assertEquals(512, f.embedding().length);
    assertEquals(1.0, norm(f.embedding(), 0, 512), 1e-5);
    assertEquals(7, f.gridH());
    assertEquals(7, f.gridW());
    assertEquals(512, f.patchDims());
    assertEquals(49 * 512, f.unitPatches().length);
    assertEquals(49, f.cellNorms().length);
    for (int cell = 0; cell < 49; cell++) {
      assertEquals("cell " + cell, 1.0, norm(f.unitPatches(), cell * 512, 512), 1e-5);
      assertTrue(f.cellNorms()[cell] > 0);
    }
    assertEquals(4, f.box().length);
    assertEquals(10, f.landmarks().length);
    assertEquals(112, f.alignedFace().width());
    // The centre, recomputed from the raw map: the mean over cells, normalised.
    float[] raw = f.rawPatches();
    float[] centre = new float[512];
    for (int cell = 0; cell < 49; cell++) {
      assertEquals(f.cellNorms()[cell], norm(raw, cell * 512, 512), 1e-3 * f.cellNorms()[cell]);
      for (int c = 0; c < 512; c++) {
        centre[c] += raw[cell * 512 + c] / 49;
      }
    }
    double n = norm(centre, 0, 512);
    for (int c = 0; c < 512; c++) {
      assertEquals(centre[c] / n, f.centre()[c], 1e-5);
    }
    assertArrayEquals(f.centre(), f.patchMap().centre(), 1e-5f);
    assertEquals(49, f.patchMap().size());
    // Landmarks in the box, eyes above the mouth, left eye left of the right eye.
    float[] lm = f.landmarks();
    float[] b = f.box();
    for (int i = 0; i < 10; i += 2) {
      assertTrue(
          lm[i] > b[0] && lm[i] < b[0] + b[2] && lm[i + 1] > b[1] && lm[i + 1] < b[1] + b[3]);
    }
    assertTrue(lm[0] < lm[2] && lm[1] < lm[7] && lm[3] < lm[9]);
  }

  @Test
  public void facesAreSortedByBoxAreaAndMaxFacesKeepsTheLargest() {
    // Two faces on one canvas: one at full size, one shrunk to half.
    ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
    RgbImage big = decoder.decode(TestData.lfwImage("Aaron_Eckhart", 1));
    RgbImage small =
        org.facesearch.image.Resampler.resize(
            decoder.decode(TestData.lfwImage("Bill_Gates", 1)), 125, 125);
    int w = 250 + 125;
    byte[] canvas = new byte[w * 250 * 3];
    for (int y = 0; y < 250; y++) {
      System.arraycopy(big.pixels(), (y * 250 + 0) * 3, canvas, (y * w) * 3, 250 * 3);
      if (y >= 60 && y < 185) {
        System.arraycopy(small.pixels(), ((y - 60) * 125) * 3, canvas, (y * w + 250) * 3, 125 * 3);
      }
    }
    RgbImage both = new RgbImage(w, 250, canvas);
    List<EncodedFace> faces = TestData.encoder().encode(both, EncodeMode.DETECT, Integer.MAX_VALUE);
    assertTrue("at least the two faces: " + faces.size(), faces.size() >= 2);
    for (int i = 1; i < faces.size(); i++) {
      assertTrue("largest first", faces.get(i - 1).boxArea() >= faces.get(i).boxArea());
    }
    EncodedFace gates = null;
    for (EncodedFace f : faces) {
      if (f.box()[0] >= 250) {
        gates = f;
      }
    }
    assertTrue("the small face on the right is found", gates != null);
    assertTrue(faces.get(0).boxArea() > gates.boxArea());
    List<EncodedFace> one = TestData.encoder().encode(both, EncodeMode.DETECT, 1);
    assertEquals(1, one.size());
    assertArrayEquals(faces.get(0).box(), one.get(0).box(), 0f);
  }

  @Test
  public void paddingSharesSayWhereTheAlignedFaceLeftThePhoto() {
    ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
    RgbImage photo = decoder.decode(TestData.lfwImage("Aaron_Eckhart", 1));
    EncodedFace whole = TestData.encoder().encode(photo, EncodeMode.DETECT, 1).get(0);
    float[] none = new float[whole.gridH() * whole.gridW()];
    // LFW's 250x250 photos hold the whole aligned face.
    assertArrayEquals(none, whole.paddingShares(), 0f);

    // The same photo with its left 95 columns cut off: the face now touches the left edge.
    int cut = 95;
    int w = 250 - cut;
    byte[] px = new byte[w * 250 * 3];
    for (int y = 0; y < 250; y++) {
      System.arraycopy(photo.pixels(), (y * 250 + cut) * 3, px, y * w * 3, w * 3);
    }
    EncodedFace edge =
        TestData.encoder().encode(new RgbImage(w, 250, px), EncodeMode.DETECT, 1).get(0);
    float[] padding = edge.paddingShares();
    int rows = edge.gridH();
    int cols = edge.gridW();
    double left = 0;
    double right = 0;
    for (int r = 0; r < rows; r++) {
      left += padding[r * cols];
      right += padding[r * cols + cols - 1];
    }
    assertTrue(
        "padding down the left side: " + java.util.Arrays.toString(padding), left / rows > 0.2);
    assertEquals("none on the right", 0.0, right, 0.0);
    // Along the cut, what reads as painted flat is the padding (so alpha: auto, which counts only
    // flat beyond padding, sees no covered face there): a wholly padded cell is flat but for its
    // pixels beside the photo, and no
    // partly padded cell is flatter than its padding (the last pixel or two along the photo's
    // edge fade to black and are not flat).
    float[] flat =
        org.facesearch.recognizability.CellOcclusion.flatShares(edge.alignedFace(), rows, cols);
    int wholly = 0;
    for (int i = 0; i < padding.length; i++) {
      if (padding[i] > 0) {
        assertTrue(
            "cell " + i + ": flat " + flat[i] + ", padding " + padding[i],
            flat[i] <= padding[i] + 1e-6f);
      }
      if (padding[i] == 1f) {
        wholly++;
        // All but its pixels beside the photo, whose 3x3 neighbourhood reaches the last photo
        // pixel.
        assertTrue("cell " + i + ": flat " + flat[i], flat[i] >= 0.9f);
      }
    }
    assertTrue("some cells are wholly padding", wholly > 0);
    // A face given already aligned carries no padding evidence.
    assertNull(
        TestData.encoder()
            .encode(whole.alignedFace(), EncodeMode.ALIGNED, 1)
            .get(0)
            .paddingShares());
  }

  @Test
  public void minimumFaceSizeDropsSmallFaces() {
    try (FaceEncoder strict =
        FaceEncoder.open(
            TestData.defaultPack(),
            EncoderOptions.defaults().withMinFaceSize(1000).withThreads(1))) {
      assertEquals(
          List.of(), strict.encode(TestData.lfwImage("Aaron_Eckhart", 1), EncodeMode.DETECT));
      assertEquals(1, strict.stats().imagesWithoutFace());
    }
  }

  @Test
  public void alignedModeEmbedsTheCropAsGiven() {
    EncodedFace detected = first("Abel_Pacheco", 1);
    RgbImage crop = detected.alignedFace();
    byte[] png = org.facesearch.testing.TestImages.write(crop.toBufferedImage(), "png");
    List<EncodedFace> aligned = TestData.encoder().encode(png, EncodeMode.ALIGNED);
    assertEquals(1, aligned.size());
    EncodedFace a = aligned.get(0);
    assertEquals(1.0, dot(detected.embedding(), a.embedding()), 1e-4);
    assertArrayEquals(new float[] {0, 0, 112, 112}, a.box(), 0f);
    assertEquals(1f, a.detectionScore(), 0f);
    assertEquals(38.2946 + 0.5, a.landmarks()[0], 1e-4);
    // A larger crop is resized to 112 first and still embeds the same face.
    RgbImage doubled = org.facesearch.image.Resampler.resize(crop, 224, 224);
    EncodedFace fromDoubled = TestData.encoder().encode(doubled, EncodeMode.ALIGNED, 1).get(0);
    assertTrue(dot(detected.embedding(), fromDoubled.embedding()) > 0.95f);
    assertArrayEquals(new float[] {0, 0, 224, 224}, fromDoubled.box(), 0f);
  }

  @Test
  public void batchedEncodingMatchesOneByOne() {
    String[] people = {
      "Aaron_Eckhart",
      "Abel_Pacheco",
      "Bill_Gates",
      "Colin_Powell",
      "Laura_Bush",
      "Tony_Blair",
      "Hugo_Chavez"
    };
    List<byte[]> images = new ArrayList<>();
    for (String p : people) {
      images.add(TestData.lfwImage(p, 1));
    }
    images.add(new byte[0]); // one bad image fails alone
    List<EncodeResult> batch = TestData.encoder().encodeAll(images, EncodeMode.DETECT, 1);
    assertEquals(images.size(), batch.size());
    for (int i = 0; i < people.length; i++) {
      EncodedFace single = first(people[i], 1);
      EncodedFace batched = batch.get(i).facesOrThrow().get(0);
      assertEquals(people[i], 1.0, dot(single.embedding(), batched.embedding()), 1e-5);
      assertArrayEquals(single.cellNorms(), batched.cellNorms(), 1e-3f);
    }
    EncodeResult bad = batch.get(people.length);
    assertTrue(!bad.ok() && bad.failure() instanceof ImageRejectedException);
  }

  @Test
  public void unbatchablePacksRunOneFacePerCall() {
    try (FaceEncoder one =
        FaceEncoder.open(
            TestData.defaultPack(), EncoderOptions.defaults().withBatchSize(1).withThreads(1))) {
      assertEquals(1, one.effectiveBatchSize());
      List<EncodeResult> r =
          one.encodeAll(
              List.of(TestData.lfwImage("Bill_Gates", 1), TestData.lfwImage("Bill_Gates", 2)),
              EncodeMode.DETECT,
              1);
      assertEquals(2, r.size());
      assertEquals(2, one.stats().featureCalls());
    }
  }

  @Test
  public void concurrentCallersGetTheSameAnswers() throws Exception {
    byte[] image = TestData.lfwImage("Colin_Powell", 1);
    float[] expected = TestData.encoder().encode(image, EncodeMode.DETECT, 1).get(0).embedding();
    List<CompletableFuture<List<EncodedFace>>> futures = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      futures.add(TestData.encoder().encodeAsync(image, EncodeMode.DETECT, 1));
    }
    for (CompletableFuture<List<EncodedFace>> f : futures) {
      assertArrayEquals(expected, f.get().get(0).embedding(), 1e-6f);
    }
  }

  @Test
  public void aFullQueueRejectsWithItsOwnException() throws Exception {
    try (FaceEncoder tiny =
        FaceEncoder.open(
            TestData.defaultPack(), EncoderOptions.defaults().withThreads(1).withQueueSize(1))) {
      byte[] image = TestData.lfwImage("Tony_Blair", 1);
      List<CompletableFuture<List<EncodedFace>>> futures = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        futures.add(tiny.encodeAsync(image, EncodeMode.DETECT, 1));
      }
      int rejected = 0;
      for (CompletableFuture<List<EncodedFace>> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          assertTrue(e.getCause() instanceof InferenceRejectedException);
          assertThat(
              e.getCause().getMessage(),
              containsString("the face inference queue is full (1 tasks waiting for 1 threads)"));
          rejected++;
        }
      }
      // One runs, one waits; with each taking milliseconds, the rest arrive while both are busy.
      assertTrue("rejected " + rejected, rejected >= 1);
      assertEquals(rejected, tiny.stats().rejections());
      // A batch takes one queue slot per group; on one thread, six images form one group.
      List<EncodeResult> batch =
          tiny.encodeAll(List.of(image, image, image, image, image, image), EncodeMode.DETECT, 1);
      assertEquals(6, batch.size());
      assertTrue(batch.stream().allMatch(EncodeResult::ok));
    }
  }

  @Test
  public void rejectedImagesAreCountedByKind() {
    try (FaceEncoder enc =
        FaceEncoder.open(TestData.defaultPack(), EncoderOptions.defaults().withThreads(1))) {
      try {
        enc.encode(
            "not an image".getBytes(java.nio.charset.StandardCharsets.US_ASCII), EncodeMode.DETECT);
        throw new AssertionError("encoded text");
      } catch (ImageRejectedException e) {
        assertEquals(ImageRejectedException.Reason.UNKNOWN_FORMAT, e.reason());
      }
      enc.encode(TestData.lfwImage("Laura_Bush", 1), EncodeMode.DETECT);
      EncoderStats s = enc.stats();
      assertEquals(Long.valueOf(1), s.errors().get("image_unknown_format"));
      assertEquals(1, s.images());
      assertTrue(s.faces() >= 1);
      assertTrue(s.featureModelNanos() > 0 && s.embedNanos() >= s.featureModelNanos());
      assertTrue(s.detectorModelNanos() > 0 && s.detectNanos() >= s.detectorModelNanos());
    }
  }

  @Test
  public void imageLimitsCanChangeWhileRunning() {
    try (FaceEncoder enc =
        FaceEncoder.open(TestData.defaultPack(), EncoderOptions.defaults().withThreads(1))) {
      byte[] image = TestData.lfwImage("Laura_Bush", 1);
      assertEquals(1, enc.encode(image, EncodeMode.DETECT).size());
      enc.updateLimits(new ImageLimits(1000, 1_000_000));
      try {
        enc.encode(image, EncodeMode.DETECT);
        throw new AssertionError("the new byte limit was not applied");
      } catch (ImageRejectedException e) {
        assertEquals(ImageRejectedException.Reason.TOO_MANY_BYTES, e.reason());
      }
      assertEquals(1000, enc.limits().maxBytes());
    }
  }

  @Test
  public void optionsAreValidated() {
    EncoderOptions d = EncoderOptions.defaults();
    String[][] cases = {
      {"threads", "inference threads must be in [1, 1024], got 0"},
      {"queue", "inference queue_size must be in [0, 1000000], got -1"},
      {"batch", "inference batch_size must be in [1, 1024], got 0"},
      {"min", "min_face_size must be >= 0, got -1"}
    };
    for (String[] c : cases) {
      try {
        switch (c[0]) {
          case "threads" -> d.withThreads(0);
          case "queue" -> d.withQueueSize(-1);
          case "batch" -> d.withBatchSize(0);
          default -> d.withMinFaceSize(-1);
        }
        throw new AssertionError("accepted " + c[0]);
      } catch (IllegalArgumentException e) {
        assertThat(e.getMessage(), containsString(c[1]));
      }
    }
    assertEquals(
        EncodeMode.ALIGNED,
        org.facesearch.option.EnumOption.parse("mode", "Aligned", EncodeMode.class));
  }
}
