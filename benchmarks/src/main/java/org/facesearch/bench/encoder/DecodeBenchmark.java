package org.facesearch.bench.encoder;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import org.facesearch.image.ImageDecoder;
import org.facesearch.image.ImageLimits;
import org.facesearch.image.RgbImage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where the time of decoding one LFW photo (250x250 baseline JPEG) goes. {@code decoder} is the
 * product's {@link ImageDecoder#decode} and {@code previousPath} the way it decoded before reading
 * plain JPEGs straight into R, G, B memory; the others take it apart: {@code readerCreate} makes
 * and disposes the TwelveMonkeys JPEG reader (which wraps the JDK's native one), {@code
 * twelveMonkeysRead} reads the pixels through it, {@code jdkRead} reads them with the JDK's reader
 * alone, and {@code toRgb} converts the decoded {@link BufferedImage} to the pipeline's RGB bytes.
 * Each invocation takes the next of {@code 64} photos, so the figure is a mean over real files.
 *
 * <p>Run: {@code benchmarks/run jmh DecodeBenchmark -f 1 -wi 3 -i 5}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecodeBenchmark {
  private List<byte[]> photos;
  private BufferedImage[] decoded;
  private int next;
  private final ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
  private ImageReaderSpi twelveMonkeys;
  private ImageReaderSpi jdk;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    photos = EncoderLatency.lfwImages(64);
    JPEGImageReaderSpi spi = new JPEGImageReaderSpi();
    spi.onRegistration(IIORegistry.getDefaultInstance(), ImageReaderSpi.class);
    twelveMonkeys = spi;
    Iterator<ImageReaderSpi> all =
        IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class, true);
    while (all.hasNext()) {
      ImageReaderSpi s = all.next();
      if (s.getClass().getName().startsWith("com.sun.imageio.plugins.jpeg.")) {
        jdk = s;
      }
    }
    decoded = new BufferedImage[photos.size()];
    for (int i = 0; i < decoded.length; i++) {
      decoded[i] = read(twelveMonkeys, photos.get(i));
    }
  }

  private byte[] nextPhoto() {
    next = (next + 1) % photos.size();
    return photos.get(next);
  }

  private static BufferedImage read(ImageReaderSpi spi, byte[] data) throws IOException {
    ImageReader reader = spi.createReaderInstance();
    try (ImageInputStream in = new ByteArrayImageInputStream(data)) {
      reader.setInput(in, true, true);
      return reader.read(0);
    } finally {
      reader.dispose();
    }
  }

  @Benchmark
  public RgbImage decoder() {
    return decoder.decode(nextPhoto());
  }

  /**
   * The decode path before JPEGs were read straight into R, G, B memory: the reader's default
   * 3-byte BGR image, then {@link RgbImage#fromBufferedImage} (format sniffing and the EXIF walk,
   * microseconds, left out).
   */
  @Benchmark
  public RgbImage previousPath() throws IOException {
    return RgbImage.fromBufferedImage(read(twelveMonkeys, nextPhoto()));
  }

  @Benchmark
  public ImageReader readerCreate() throws IOException {
    ImageReader reader = twelveMonkeys.createReaderInstance();
    reader.dispose();
    return reader;
  }

  @Benchmark
  public BufferedImage twelveMonkeysRead() throws IOException {
    return read(twelveMonkeys, nextPhoto());
  }

  @Benchmark
  public BufferedImage jdkRead() throws IOException {
    return read(jdk, nextPhoto());
  }

  @Benchmark
  public RgbImage toRgb() {
    next = (next + 1) % decoded.length;
    return RgbImage.fromBufferedImage(decoded[next]);
  }
}
