package org.facesearch.encoder;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.zip.CRC32;
import org.facesearch.image.ImageDecoder;
import org.facesearch.testing.TestData;
import org.junit.Test;

/**
 * The inference queue bounded by memory: each image counts its bytes and its decoded pixels while
 * it waits and runs, an image that does not fit is refused at once with the queue's own exception
 * (a 429 upstream) naming the budget, and everything is given back when the work ends.
 */
public class InferenceMemoryTests {

  /** What one LFW photo (250 x 250) holds in the queue: its bytes plus 3 bytes per pixel. */
  private static long held(byte[] photo) {
    return photo.length + 3L * 250 * 250;
  }

  /** A PNG header declaring {@code width x height} RGB pixels, and no pixels. */
  private static byte[] pngHeader(int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    byte[] data =
        ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2).array();
    out.writeBytes(ByteBuffer.allocate(4).putInt(13).array());
    byte[] type = {'I', 'H', 'D', 'R'};
    out.writeBytes(type);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(type);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    return out.toByteArray();
  }

  @Test
  public void declaredPixelsComeFromTheHeaderAlone() {
    assertEquals(250L * 250, ImageDecoder.declaredPixels(TestData.lfwImage("Tony_Blair", 1)));
    assertEquals(100_000L * 100_000, ImageDecoder.declaredPixels(pngHeader(100_000, 100_000)));
    assertEquals(0, ImageDecoder.declaredPixels("not an image".getBytes()));
    assertEquals(0, ImageDecoder.declaredPixels(new byte[0]));
  }

  @Test
  public void anImageThatDoesNotFitTheBudgetIsRefusedAndBytesAreGivenBack() throws Exception {
    try (FaceEncoder encoder =
        FaceEncoder.open(TestData.defaultPack(), EncoderOptions.defaults().withThreads(1))) {
      byte[] photo = TestData.lfwImage("Tony_Blair", 1);
      // Room for one photo: the first is taken (nothing else holds memory), the others find it
      // held.
      encoder.memoryBudget(held(photo));
      assertEquals(held(photo), encoder.memoryBudget());
      List<CompletableFuture<List<EncodedFace>>> futures = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        futures.add(encoder.encodeAsync(photo, EncodeMode.DETECT, 1));
      }
      int rejected = 0;
      int encoded = 0;
      for (CompletableFuture<List<EncodedFace>> f : futures) {
        try {
          assertEquals(1, f.get().size());
          encoded++;
        } catch (ExecutionException e) {
          assertTrue(e.getCause() instanceof InferenceRejectedException);
          assertThat(
              e.getCause().getMessage(),
              containsString("memory budget of 0.2 MB would be exceeded"));
          rejected++;
        }
      }
      assertTrue("encoded " + encoded, encoded >= 1);
      // Encoding a photo takes milliseconds; the six calls were made in microseconds.
      assertTrue("rejected " + rejected, rejected >= 4);
      assertEquals(rejected, encoder.stats().rejections());
      assertEquals(0, encoder.heldBytes());

      // With the budget back up, the same burst is taken whole.
      encoder.memoryBudget(100 * held(photo));
      futures.clear();
      for (int i = 0; i < 6; i++) {
        futures.add(encoder.encodeAsync(photo, EncodeMode.DETECT, 1));
      }
      for (CompletableFuture<List<EncodedFace>> f : futures) {
        assertEquals(1, f.get().size());
      }
      assertEquals(0, encoder.heldBytes());
    }
  }

  @Test
  public void aBatchIsRefusedPerGroupNotAsAWhole() throws Exception {
    try (FaceEncoder encoder =
        FaceEncoder.open(
            TestData.defaultPack(), EncoderOptions.defaults().withThreads(1).withBatchSize(8))) {
      byte[] photo = TestData.lfwImage("Colin_Powell", 1);
      // One thread: 12 images go in groups of 8 and 4. The budget holds the first group only.
      encoder.memoryBudget(8 * held(photo));
      List<EncodeResult> results =
          encoder.encodeAllAsync(Collections.nCopies(12, photo), EncodeMode.DETECT, 1).get();
      assertEquals(12, results.size());
      for (int i = 0; i < 8; i++) {
        assertTrue("image " + i + ": " + results.get(i).failure(), results.get(i).ok());
        assertEquals(1, results.get(i).faces().size());
      }
      for (int i = 8; i < 12; i++) {
        assertTrue("image " + i, results.get(i).failure() instanceof InferenceRejectedException);
      }
      assertEquals(0, encoder.heldBytes());
      // An image over the pixel limit is refused by the decoder, not by the budget: it counts its
      // bytes only.
      encoder.memoryBudget(1);
      List<EncodeResult> bomb =
          encoder.encodeAllAsync(List.of(pngHeader(100_000, 100_000)), EncodeMode.DETECT, 1).get();
      assertThat(bomb.get(0).failure().getMessage(), containsString("more than the limit of"));
    }
  }
}
