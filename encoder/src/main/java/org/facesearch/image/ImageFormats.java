package org.facesearch.image;

import com.twelvemonkeys.imageio.plugins.bmp.BMPImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.tiff.BigTIFFImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.tiff.TIFFImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;

/**
 * The image readers this plugin decodes with, as explicit provider instances.
 *
 * <p>ImageIO normally discovers readers by scanning the thread's context class loader for {@code
 * META-INF/services} entries. Inside OpenSearch the plugin's jars live in a child class loader that
 * such a scan does not see (and registering into the JVM-wide registry would leak the plugin's
 * classes into it). So the TwelveMonkeys providers are constructed here directly, from this class's
 * own loader, and used without any registry; only the JDK's built-in PNG and GIF readers, which the
 * JDK registers itself, are taken from {@link IIORegistry}.
 */
final class ImageFormats {

  /** A format's name as users know it, and the provider that reads it. */
  record Format(String name, ImageReaderSpi spi) {}

  /** Providers in the order their signatures are tried. */
  static final List<Format> READERS =
      List.of(
          new Format("JPEG", jpeg()),
          new Format("PNG", jdkReader("png")),
          new Format("GIF", jdkReader("gif")),
          new Format("BMP", new BMPImageReaderSpi()),
          new Format("TIFF", new TIFFImageReaderSpi()),
          new Format("TIFF", new BigTIFFImageReaderSpi()),
          new Format("WEBP", new WebPImageReaderSpi()));

  /** What a user may send, for error messages. */
  static final String SUPPORTED = "JPEG, PNG, BMP, GIF, WebP or TIFF";

  private ImageFormats() {}

  private static ImageReaderSpi jpeg() {
    JPEGImageReaderSpi spi = new JPEGImageReaderSpi();
    // The TwelveMonkeys JPEG reader wraps the JDK's decoder and finds it when registered;
    // handing it the JVM registry (where the JDK's reader always is) performs that lookup
    // without adding this provider to the registry.
    spi.onRegistration(IIORegistry.getDefaultInstance(), ImageReaderSpi.class);
    return spi;
  }

  /** The JDK's own reader for {@code format}: part of java.desktop, always registered. */
  private static ImageReaderSpi jdkReader(String format) {
    Iterator<ImageReaderSpi> all =
        IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class, true);
    List<String> seen = new ArrayList<>();
    while (all.hasNext()) {
      ImageReaderSpi spi = all.next();
      seen.add(spi.getClass().getName());
      if (spi.getClass().getName().startsWith("com.sun.imageio.plugins." + format + ".")) {
        return spi;
      }
    }
    throw new IllegalStateException(
        "the JDK's "
            + format.toUpperCase(java.util.Locale.ROOT)
            + " image reader is not available in this Java runtime (found "
            + seen
            + ")");
  }
}
