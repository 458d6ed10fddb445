package org.facesearch.image;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.facesearch.testing.TestData;
import org.facesearch.testing.TestImages;
import org.junit.Test;

/**
 * {@link ImageDecoder} decodes plain 3-component JPEGs straight into R, G, B memory. These tests
 * hold it to the previous path byte for byte: the JPEG reader's default 3-byte BGR image, converted
 * by {@link RgbImage#fromBufferedImage}, then {@link ExifOrientation}.
 */
public class DirectJpegDecodeTests {
  private final ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);

  /** The decode path before the direct destination, reproduced step by step. */
  private static RgbImage previousPath(byte[] data) throws IOException {
    ImageReader reader = ImageFormats.READERS.get(0).spi().createReaderInstance();
    try (ImageInputStream in = new ByteArrayImageInputStream(data)) {
      reader.setInput(in, true, true);
      BufferedImage image = reader.read(0);
      return ExifOrientation.apply(RgbImage.fromBufferedImage(image), ExifOrientation.read(data));
    } finally {
      reader.dispose();
    }
  }

  private void assertSamePixels(String what, byte[] jpeg) throws IOException {
    RgbImage expected = previousPath(jpeg);
    RgbImage actual = decoder.decode(jpeg);
    assertEquals(what + " width", expected.width(), actual.width());
    assertEquals(what + " height", expected.height(), actual.height());
    assertArrayEquals(what + " pixels", expected.pixels(), actual.pixels());
  }

  @Test
  public void lfwPhotosDecodeToTheSamePixels() throws IOException {
    List<Path> all = new ArrayList<>();
    try (Stream<Path> files = Files.walk(TestData.lfw())) {
      files.filter(p -> p.toString().endsWith(".jpg")).sorted().forEach(all::add);
    }
    assertTrue("LFW has " + all.size() + " photos", all.size() > 5_000);
    // Every 25th photo: over 300 files from every part of the alphabet (and of the photographers).
    int checked = 0;
    for (int i = 0; i < all.size(); i += 25, checked++) {
      byte[] jpeg = Files.readAllBytes(all.get(i));
      assertTrue(all.get(i) + " takes the direct path", JpegLayout.isPlainThreeComponent(jpeg));
      assertSamePixels(all.get(i).toString(), jpeg);
    }
    assertTrue(checked > 300);
  }

  @Test
  public void syntheticJpegsDecodeToTheSamePixels() throws IOException {
    BufferedImage noise = noise(97, 61, 7); // odd sizes: partial MCUs on both edges
    byte[] baseline = TestImages.write(noise, "jpeg");
    assertTrue(JpegLayout.isPlainThreeComponent(baseline));
    assertSamePixels("baseline 4:2:0", baseline);

    byte[] progressive = progressive(noise);
    assertTrue(JpegLayout.isPlainThreeComponent(progressive));
    assertSamePixels("progressive", progressive);

    for (int k = 1; k <= 8; k++) {
      byte[] tagged = TestImages.insert(baseline, 2, TestImages.jpegExifSegment(k, k % 2 == 0));
      assertTrue(JpegLayout.isPlainThreeComponent(tagged));
      assertSamePixels("EXIF orientation " + k, tagged);
    }

    // No JFIF marker (as many cameras write): the readers guess YCbCr from component ids 1, 2, 3.
    byte[] noJfif = withoutJfif(baseline);
    assertTrue(JpegLayout.isPlainThreeComponent(noJfif));
    assertSamePixels("no JFIF", noJfif);

    // No JFIF and component ids 'R', 'G', 'B': the samples are taken as RGB, no YCbCr conversion.
    byte[] rgbIds = withComponentIds(noJfif, 'R', 'G', 'B');
    assertTrue(JpegLayout.isPlainThreeComponent(rgbIds));
    assertSamePixels("RGB component ids", rgbIds);
  }

  @Test
  public void colourManagedAndOtherJpegsKeepTheUsualPath() throws IOException {
    byte[] baseline = TestImages.write(noise(40, 30, 3), "jpeg");

    BufferedImage grey = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_GRAY);
    grey.getRaster().setDataElements(0, 0, 40, 30, randomBytes(40 * 30, 5));
    byte[] greyJpeg = TestImages.write(grey, "jpeg");
    assertFalse("grey", JpegLayout.isPlainThreeComponent(greyJpeg));
    assertSamePixels("grey", greyJpeg);

    byte[] icc =
        TestImages.insert(
            baseline, 2, iccSegment(ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData()));
    assertFalse("ICC profile", JpegLayout.isPlainThreeComponent(icc));
    assertSamePixels("ICC profile", icc);

    // APP14 "Adobe", version 100, transform 1 (YCbCr).
    byte[] adobe =
        TestImages.insert(
            baseline,
            2,
            new byte[] {
              (byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 1
            });
    assertFalse("Adobe marker", JpegLayout.isPlainThreeComponent(adobe));
    assertSamePixels("Adobe marker", adobe);

    assertFalse(
        "not a JPEG", JpegLayout.isPlainThreeComponent(TestImages.write(noise(8, 8, 1), "png")));
    assertFalse(
        "header cut before the frame",
        JpegLayout.isPlainThreeComponent(java.util.Arrays.copyOf(baseline, 30)));
  }

  private static BufferedImage noise(int w, int h, long seed) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    img.getRaster().setDataElements(0, 0, w, h, randomBytes(w * h * 3, seed));
    return img;
  }

  private static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] progressive(BufferedImage img) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
      writer.write(null, new IIOImage(img, null, null), param);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /** The JPEG without its APP0 segment, which the JDK's writer puts right after SOI. */
  private static byte[] withoutJfif(byte[] jpeg) {
    assertEquals(0xE0, jpeg[3] & 0xFF);
    int length = ((jpeg[4] & 0xFF) << 8) | (jpeg[5] & 0xFF);
    byte[] out = new byte[jpeg.length - 2 - length];
    System.arraycopy(jpeg, 0, out, 0, 2);
    System.arraycopy(jpeg, 4 + length, out, 2, out.length - 2);
    return out;
  }

  /** The JPEG with its 3 components renamed in the frame header and the scan header. */
  private static byte[] withComponentIds(byte[] jpeg, int... ids) {
    byte[] out = jpeg.clone();
    int p = 2;
    while (true) {
      int marker = out[p + 1] & 0xFF;
      int length = ((out[p + 2] & 0xFF) << 8) | (out[p + 3] & 0xFF);
      if (marker == 0xC0) {
        for (int c = 0; c < 3; c++) {
          out[p + 10 + 3 * c] = (byte) ids[c]; // component id, sampling, table
        }
      } else if (marker == 0xDA) {
        for (int c = 0; c < 3; c++) {
          out[p + 5 + 2 * c] = (byte) ids[c]; // component id, tables
        }
        return out;
      }
      p += 2 + length;
    }
  }

  private static byte[] iccSegment(byte[] profile) {
    byte[] head = {'I', 'C', 'C', '_', 'P', 'R', 'O', 'F', 'I', 'L', 'E', 0, 1, 1};
    int length = 2 + head.length + profile.length;
    byte[] out = new byte[2 + length];
    out[0] = (byte) 0xFF;
    out[1] = (byte) 0xE2;
    TestImages.put16be(out, 2, length);
    System.arraycopy(head, 0, out, 4, head.length);
    System.arraycopy(profile, 0, out, 4 + head.length, profile.length);
    return out;
  }
}
