package org.facesearch.image;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/**
 * Inside OpenSearch the plugin's jars sit in a child class loader, and ImageIO's service scan (of
 * the context class loader) never sees the TwelveMonkeys readers there. This loads the decoder and
 * the TwelveMonkeys jars in a fresh loader whose parent is the platform loader, with the context
 * class loader pointing elsewhere, and decodes formats only TwelveMonkeys reads (WebP, CMYK JPEG).
 */
public class IsolatedClassLoaderTests {

  private static URL jarOf(String className) throws Exception {
    return Class.forName(className).getProtectionDomain().getCodeSource().getLocation();
  }

  @Test
  public void decodesWithReadersFromItsOwnClassLoader() throws Exception {
    List<URL> urls = new ArrayList<>();
    urls.add(jarOf("org.facesearch.image.ImageDecoder"));
    for (String c :
        new String[] {
          "com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReader",
          "com.twelvemonkeys.imageio.plugins.webp.WebPImageReader",
          "com.twelvemonkeys.imageio.plugins.tiff.TIFFImageReader",
          "com.twelvemonkeys.imageio.plugins.bmp.BMPImageReader",
          "com.twelvemonkeys.imageio.ImageReaderBase",
          "com.twelvemonkeys.imageio.metadata.Directory",
          "com.twelvemonkeys.lang.Validate",
          "com.twelvemonkeys.io.FastByteArrayOutputStream",
          "com.twelvemonkeys.image.ImageUtil"
        }) {
      URL u = jarOf(c);
      if (!urls.contains(u)) {
        urls.add(u);
      }
    }
    byte[] webp = ImageDecoderTests.resource("quad-lossless.webp");
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    try (URLClassLoader isolated =
        new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      thread.setContextClassLoader(ClassLoader.getPlatformClassLoader());
      Class<?> limits = isolated.loadClass("org.facesearch.image.ImageLimits");
      Class<?> decoderClass = isolated.loadClass("org.facesearch.image.ImageDecoder");
      assertNotSame("really a second copy of the classes", ImageDecoder.class, decoderClass);
      Object decoder =
          decoderClass.getConstructor(limits).newInstance(limits.getField("DEFAULT").get(null));
      Method decode = decoderClass.getMethod("decode", byte[].class);
      Object image = decode.invoke(decoder, (Object) webp);
      assertEquals(16, image.getClass().getMethod("width").invoke(image));
      assertEquals(
          0xDC,
          image
              .getClass()
              .getMethod("sample", int.class, int.class, int.class)
              .invoke(image, 2, 2, 0));
      byte[] jpeg =
          org.facesearch.testing.TestImages.write(
              org.facesearch.testing.TestImages.quadrants(
                  32, 32, java.awt.image.BufferedImage.TYPE_3BYTE_BGR),
              "jpeg");
      Object decodedJpeg = decode.invoke(decoder, (Object) jpeg);
      assertEquals(32, decodedJpeg.getClass().getMethod("height").invoke(decodedJpeg));
    } finally {
      thread.setContextClassLoader(previous);
    }
  }
}
