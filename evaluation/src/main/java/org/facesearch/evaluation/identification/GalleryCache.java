package org.facesearch.evaluation.identification;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.facesearch.encoder.EncodeMode;
import org.facesearch.encoder.EncodedFace;
import org.facesearch.encoder.FaceEncoder;
import org.facesearch.evaluation.FaceChoice;
import org.facesearch.evaluation.Lfw;
import org.facesearch.image.ImageDecoder;
import org.facesearch.image.ImageLimits;
import org.facesearch.image.RgbImage;
import org.facesearch.patches.PatchEncoding;
import org.facesearch.patches.PatchMap;

/**
 * Every gallery image encoded once with the full pipeline (decode, detect, landmarks, align, embed)
 * and kept on disk, so experiments re-run in seconds. For each image, the face nearest the image
 * centre ({@link FaceChoice}): its unit embedding, its patch map exactly as the product stores it
 * (the {@code face} field's default {@code float16} encoding, {@link PatchEncoding}; the rescorer
 * decodes the same bytes), its aligned 112x112 crop (what query versions degrade), box and
 * landmarks.
 *
 * <p>Three files under the cache folder: {@code gallery.meta} (names, face counts, boxes,
 * landmarks, embeddings; written last, so its presence means the others are complete), {@code
 * gallery.patches} (one fixed-size encoded map per image) and {@code gallery.aligned} (one 112x112
 * RGB crop per image); the last two are memory-mapped. For LFW's 9,337 images they take about 470
 * MB and 350 MB. The cache is rebuilt when the model pack (its files' SHA-256), the image list or
 * this format changes.
 */
public final class GalleryCache implements Closeable {
  private static final String MAGIC = "face-search eval gallery";
  private static final int FORMAT = 1;
  static final PatchEncoding PATCH_ENCODING = PatchEncoding.FLOAT16;

  private final int size;
  private final int[] facesFound;
  private final float[][] embeddings;
  private final float[][] boxes;
  private final int patchBytes;
  private final int alignedSize;
  private final FileChannel patchChannel;
  private final FileChannel alignedChannel;
  private final MappedByteBuffer patches;
  private final MappedByteBuffer aligned;

  private GalleryCache(
      int size,
      int[] facesFound,
      float[][] embeddings,
      float[][] boxes,
      int patchBytes,
      int alignedSize,
      FileChannel patchChannel,
      FileChannel alignedChannel)
      throws IOException {
    this.size = size;
    this.facesFound = facesFound;
    this.embeddings = embeddings;
    this.boxes = boxes;
    this.patchBytes = patchBytes;
    this.alignedSize = alignedSize;
    this.patchChannel = patchChannel;
    this.alignedChannel = alignedChannel;
    this.patches = patchChannel.map(FileChannel.MapMode.READ_ONLY, 0, (long) size * patchBytes);
    this.aligned =
        alignedChannel.map(FileChannel.MapMode.READ_ONLY, 0, (long) size * alignedBytes());
  }

  /**
   * Opens the cache under {@code dir}, building it first (with {@code threads} callers on the
   * encoder) when it is missing or was made from other models or images.
   */
  public static GalleryCache openOrBuild(
      Lfw gallery, FaceEncoder encoder, Path dir, int threads, PrintStream log) throws IOException {
    String fingerprint = fingerprint(gallery, encoder);
    Path meta = dir.resolve("gallery.meta");
    if (Files.isRegularFile(meta)) {
      GalleryCache cache = open(dir, fingerprint, gallery.size());
      if (cache != null) {
        log.printf(Locale.ROOT, "gallery cache: %s (%d images)%n", dir, gallery.size());
        return cache;
      }
      log.printf(
          Locale.ROOT,
          "gallery cache under %s was made from other models or images: rebuilding%n",
          dir);
    }
    build(gallery, encoder, dir, fingerprint, threads, log);
    GalleryCache cache = open(dir, fingerprint, gallery.size());
    if (cache == null) {
      throw new IllegalStateException(
          "the gallery cache just written under " + dir + " does not read back");
    }
    return cache;
  }

  public int size() {
    return size;
  }

  /**
   * Faces the detector found in image {@code i} (0: the image is not in the searchable gallery).
   */
  int facesFound(int i) {
    return facesFound[i];
  }

  public boolean hasFace(int i) {
    return facesFound[i] > 0;
  }

  /** The unit embedding of image {@code i}'s face (the array is shared: do not modify). */
  public float[] embedding(int i) {
    requireFace(i);
    return embeddings[i];
  }

  /** Box {x, y, w, h} of image {@code i}'s face in image pixels. */
  float[] box(int i) {
    requireFace(i);
    return boxes[i];
  }

  /** The stored (encoded) patch map of image {@code i}. */
  byte[] patchBytes(int i) {
    requireFace(i);
    byte[] out = new byte[patchBytes];
    patches.get(Math.multiplyExact(i, patchBytes), out, 0, patchBytes);
    return out;
  }

  /** The patch map of image {@code i} as the rescorer reads it back from the index. */
  PatchMap patchMap(int i) {
    return PatchEncoding.decode(patchBytes(i));
  }

  /** The aligned crop the feature model saw for image {@code i}. */
  RgbImage alignedFace(int i) {
    requireFace(i);
    byte[] rgb = new byte[alignedBytes()];
    aligned.get(Math.multiplyExact(i, alignedBytes()), rgb, 0, rgb.length);
    return new RgbImage(alignedSize, alignedSize, rgb);
  }

  private int alignedBytes() {
    return alignedSize * alignedSize * 3;
  }

  private void requireFace(int i) {
    if (facesFound[i] == 0) {
      throw new IllegalArgumentException("gallery image " + i + " has no face");
    }
  }

  @Override
  public void close() throws IOException {
    // The mappings stay valid until they are collected; closing only releases the channels.
    try {
      patchChannel.close();
    } finally {
      alignedChannel.close();
    }
  }

  private static String fingerprint(Lfw gallery, FaceEncoder encoder) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      Map<String, String> sums = new TreeMap<>(encoder.pack().descriptor().sha256());
      md.update(
          (MAGIC + " " + FORMAT + " " + PATCH_ENCODING.displayName() + " nearest-centre")
              .getBytes(StandardCharsets.UTF_8));
      md.update(
          (encoder.pack().name() + " " + encoder.pack().version() + " " + sums)
              .getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < gallery.size(); i++) {
        md.update((gallery.name(i) + "\n").getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** The cache under {@code dir} if it matches; null when it was made from something else. */
  private static GalleryCache open(Path dir, String fingerprint, int expectedSize)
      throws IOException {
    try (DataInputStream in =
        new DataInputStream(
            new BufferedInputStream(Files.newInputStream(dir.resolve("gallery.meta")), 1 << 16))) {
      if (!MAGIC.equals(in.readUTF())
          || in.readInt() != FORMAT
          || !fingerprint.equals(in.readUTF())) {
        return null;
      }
      int n = in.readInt();
      int patchBytes = in.readInt();
      int alignedSize = in.readInt();
      int dims = in.readInt();
      if (n != expectedSize) {
        return null;
      }
      int[] found = new int[n];
      float[][] embeddings = new float[n][];
      float[][] boxes = new float[n][];
      for (int i = 0; i < n; i++) {
        in.readUTF(); // the image name; the fingerprint already covers the list
        found[i] = in.readInt();
        if (found[i] > 0) {
          boxes[i] = readFloats(in, 4);
          embeddings[i] = readFloats(in, dims);
        }
      }
      Path patchFile = dir.resolve("gallery.patches");
      Path alignedFile = dir.resolve("gallery.aligned");
      if (Files.size(patchFile) != (long) n * patchBytes
          || Files.size(alignedFile) != (long) n * alignedSize * alignedSize * 3) {
        return null;
      }
      FileChannel pc = FileChannel.open(patchFile, StandardOpenOption.READ);
      FileChannel ac = FileChannel.open(alignedFile, StandardOpenOption.READ);
      return new GalleryCache(n, found, embeddings, boxes, patchBytes, alignedSize, pc, ac);
    }
  }

  private static float[] readFloats(DataInputStream in, int n) throws IOException {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = in.readFloat();
    }
    return out;
  }

  private record Encoded(int facesFound, EncodedFace face) {}

  private static void build(
      Lfw gallery, FaceEncoder encoder, Path dir, String fingerprint, int threads, PrintStream log)
      throws IOException {
    Files.createDirectories(dir);
    int n = gallery.size();
    var feature = encoder.pack().descriptor().feature();
    int alignedSize = feature.inputSize();
    int patchBytes =
        PATCH_ENCODING.encodedBytes(feature.gridH(), feature.gridW(), feature.patchDims());
    String suffix = ".tmp" + ProcessHandle.current().pid();
    Path metaTmp = dir.resolve("gallery.meta" + suffix);
    Path patchTmp = dir.resolve("gallery.patches" + suffix);
    Path alignedTmp = dir.resolve("gallery.aligned" + suffix);
    log.printf(
        Locale.ROOT, "encoding %d gallery images into %s (%d threads)...%n", n, dir, threads);
    long start = System.nanoTime();
    ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    int noFace = 0;
    int multiFace = 0;
    try (DataOutputStream meta =
            new DataOutputStream(
                new BufferedOutputStream(Files.newOutputStream(metaTmp), 1 << 16));
        OutputStream patchOut = new BufferedOutputStream(Files.newOutputStream(patchTmp), 1 << 20);
        OutputStream alignedOut =
            new BufferedOutputStream(Files.newOutputStream(alignedTmp), 1 << 20)) {
      meta.writeUTF(MAGIC);
      meta.writeInt(FORMAT);
      meta.writeUTF(fingerprint);
      meta.writeInt(n);
      meta.writeInt(patchBytes);
      meta.writeInt(alignedSize);
      meta.writeInt(feature.embeddingDims());
      int chunk = 256;
      for (int from = 0; from < n; from += chunk) {
        List<Future<Encoded>> pending = new ArrayList<>();
        for (int i = from; i < Math.min(n, from + chunk); i++) {
          Path path = gallery.path(i);
          pending.add(
              pool.submit(() -> {
                RgbImage image = decoder.decode(Files.readAllBytes(path));
                List<EncodedFace> faces =
                    encoder.encode(image, EncodeMode.DETECT, Integer.MAX_VALUE);
                return new Encoded(
                    faces.size(),
                    FaceChoice.nearest(faces, image.width() / 2.0, image.height() / 2.0));
              }));
        }
        for (int k = 0; k < pending.size(); k++) {
          int i = from + k;
          Encoded e = BenchThreads.await(pending.get(k));
          meta.writeUTF(gallery.name(i));
          meta.writeInt(e.facesFound());
          if (e.face() == null) {
            noFace++;
            patchOut.write(new byte[patchBytes]);
            alignedOut.write(new byte[alignedSize * alignedSize * 3]);
            continue;
          }
          if (e.facesFound() > 1) {
            multiFace++;
          }
          writeFloats(meta, e.face().box());
          writeFloats(meta, e.face().embedding());
          byte[] encoded = PATCH_ENCODING.encode(e.face().patchMap());
          if (encoded.length != patchBytes) {
            throw new IllegalStateException(
                "image "
                    + gallery.name(i)
                    + ": encoded patches take "
                    + encoded.length
                    + " bytes, expected "
                    + patchBytes);
          }
          patchOut.write(encoded);
          RgbImage crop = e.face().alignedFace();
          if (crop.width() != alignedSize || crop.height() != alignedSize) {
            throw new IllegalStateException(
                "image "
                    + gallery.name(i)
                    + ": aligned crop is "
                    + crop
                    + ", expected "
                    + alignedSize
                    + "x"
                    + alignedSize);
          }
          alignedOut.write(crop.pixels());
        }
        if ((from / chunk) % 8 == 0) {
          log.printf(
              Locale.ROOT,
              "  %d / %d images, %.0f s%n",
              Math.min(n, from + chunk),
              n,
              (System.nanoTime() - start) / 1e9);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    Files.move(
        patchTmp,
        dir.resolve("gallery.patches"),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    Files.move(
        alignedTmp,
        dir.resolve("gallery.aligned"),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    Files.move(
        metaTmp,
        dir.resolve("gallery.meta"),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    log.printf(
        Locale.ROOT,
        "encoded %d images in %.1f s: %d without a face, %d with more than one face%n",
        n,
        (System.nanoTime() - start) / 1e9,
        noFace,
        multiFace);
  }

  private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length);
    b.asFloatBuffer().put(values);
    out.write(b.array());
  }
}
