package org.facesearch.encoder;

import java.io.Closeable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import org.facesearch.align.FaceAligner;
import org.facesearch.align.LandmarkDetector;
import org.facesearch.align.SimilarityTransform;
import org.facesearch.detect.Detection;
import org.facesearch.detect.FaceDetector;
import org.facesearch.image.ImageDecoder;
import org.facesearch.image.ImageLimits;
import org.facesearch.image.ImageRejectedException;
import org.facesearch.image.Resampler;
import org.facesearch.image.RgbImage;
import org.facesearch.model.ModelPack;
import org.facesearch.model.ModelSessions;
import org.facesearch.model.PackDescriptor;

/**
 * Turns images into {@link EncodedFace}s with one model pack: decode (with EXIF orientation and
 * size limits), detect, find landmarks, align onto the template, embed. See docs/encoder.md.
 *
 * <p>All work runs on the encoder's own bounded pool ({@link EncoderOptions#threads()} threads,
 * {@link EncoderOptions#queueSize()} waiting tasks); a caller blocks until its result is ready, or
 * uses {@link #encodeAsync}. When the queue is full the call fails at once with {@link
 * InferenceRejectedException}. Thread-safe; open once per pack and share.
 *
 * <p>The pack's ONNX Runtime sessions hold the models' weights and working memory outside the Java
 * heap. {@link #open} creates them at once; {@link #openOnFirstUse} when the first image is
 * encoded, so that a node which may never encode (a data node of a cluster) does not hold them.
 */
public final class FaceEncoder implements Closeable {
  private final ModelPack pack;
  private final EncoderOptions options;
  private volatile ImageDecoder decoder;
  private final FaceAligner aligner;
  private final InferencePool pool;

  /**
   * The sessions and the model steps on them; null until opened. Guarded by {@code this} for
   * writes.
   */
  private volatile Models models;

  private boolean closed;
  private final PackDescriptor.Feature featureSpec;

  private final LongAdder images = new LongAdder();
  private final LongAdder faces = new LongAdder();
  private final LongAdder imagesWithoutFace = new LongAdder();
  private final LongAdder decodeNanos = new LongAdder();
  private final LongAdder detectNanos = new LongAdder();
  private final LongAdder landmarkNanos = new LongAdder();
  private final LongAdder alignNanos = new LongAdder();
  private final LongAdder embedNanos = new LongAdder();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

  /** The pack's open sessions and the three model steps that run on them. */
  private record Models(
      ModelSessions sessions,
      FaceDetector detector,
      LandmarkDetector landmarks,
      FeatureExtractor features) {
    static Models open(ModelPack pack, EncoderOptions options) {
      ModelSessions sessions = ModelSessions.open(pack, options.device());
      return new Models(
          sessions,
          new FaceDetector(sessions),
          new LandmarkDetector(sessions),
          new FeatureExtractor(sessions, options.batchSize()));
    }
  }

  /**
   * A face found and aligned, waiting for the feature model; {@code alignment} is null for a crop
   * given already aligned.
   */
  private record Candidate(
      float[] box,
      float[] landmarks,
      float score,
      RgbImage aligned,
      EncodedFace.Alignment alignment) {}

  private FaceEncoder(ModelPack pack, EncoderOptions options, Models models) {
    this.pack = pack;
    this.options = options;
    this.models = models;
    this.decoder = new ImageDecoder(options.limits());
    this.featureSpec = pack.descriptor().feature();
    this.aligner = new FaceAligner(featureSpec.alignmentTemplate(), featureSpec.inputSize());
    this.pool =
        new InferencePool(
            options.threads(), options.queueSize(), "face-search-inference-" + pack.name());
  }

  /**
   * Opens the pack's models on {@code options.device()} now.
   *
   * @throws org.facesearch.model.ModelPackException when the models do not match the descriptor
   * @throws IllegalStateException when CUDA was asked for and is not available
   */
  public static FaceEncoder open(ModelPack pack, EncoderOptions options) {
    return new FaceEncoder(pack, options, Models.open(pack, options));
  }

  /**
   * An encoder whose models are opened by the first image it encodes, on an inference thread; until
   * then it holds no ONNX Runtime session. A failure to open them (the exceptions of {@link #open})
   * fails that image, and the next image tries again.
   */
  public static FaceEncoder openOnFirstUse(ModelPack pack, EncoderOptions options) {
    return new FaceEncoder(pack, options, null);
  }

  /**
   * Whether the models are open (always after {@link #open}; after the first image with {@link
   * #openOnFirstUse}).
   */
  public boolean modelsOpen() {
    return models != null;
  }

  private Models models() {
    Models m = models;
    if (m != null) {
      return m;
    }
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the face encoder of pack [" + pack.name() + "] is closed");
      }
      if (models == null) {
        models = Models.open(pack, options);
      }
      return models;
    }
  }

  /** Every face in {@code image}, largest box first. */
  public List<EncodedFace> encode(byte[] image, EncodeMode mode) {
    return encode(image, mode, Integer.MAX_VALUE);
  }

  /**
   * The {@code maxFaces} largest faces in {@code image} (encoded image bytes), largest box first;
   * empty when no face of at least the minimum size is found.
   *
   * @throws ImageRejectedException when the bytes are not a usable image
   * @throws InferenceRejectedException when the inference queue is full
   */
  public List<EncodedFace> encode(byte[] image, EncodeMode mode, int maxFaces) {
    checkMaxFaces(maxFaces);
    return await(
        submit(() -> counted(() -> encodeNow(decode(image), mode, maxFaces)), heldBytes(image)));
  }

  /** As {@link #encode(byte[], EncodeMode, int)} for an already decoded, upright image. */
  public List<EncodedFace> encode(RgbImage image, EncodeMode mode, int maxFaces) {
    checkMaxFaces(maxFaces);
    return await(submit(() -> counted(() -> encodeNow(image, mode, maxFaces))));
  }

  /**
   * As {@link #encode(byte[], EncodeMode, int)} without blocking the caller: the future completes
   * on an inference thread, or fails (also with {@link InferenceRejectedException} when the queue
   * is full).
   */
  public CompletableFuture<List<EncodedFace>> encodeAsync(
      byte[] image, EncodeMode mode, int maxFaces) {
    checkMaxFaces(maxFaces);
    return submitAsync(
        () -> counted(() -> encodeNow(decode(image), mode, maxFaces)), heldBytes(image));
  }

  /**
   * Encodes several images, faces of several images sharing feature-model calls (up to {@link
   * EncoderOptions#batchSize()} faces per call). Images are split into groups run in parallel, each
   * group taking one queue slot; a failing image fails alone.
   *
   * @return one result per image, in order
   * @throws InferenceRejectedException when the queue cannot take all groups; groups already queued
   *     are cancelled (one already running finishes and its result is dropped)
   */
  public List<EncodeResult> encodeAll(List<byte[]> images, EncodeMode mode, int maxFaces) {
    checkMaxFaces(maxFaces);
    int n = images.size();
    if (n == 0) {
      return List.of();
    }
    int group = groupSize(n);
    List<Future<List<EncodeResult>>> pending = new ArrayList<>();
    try {
      for (int from = 0; from < n; from += group) {
        List<byte[]> part = images.subList(from, Math.min(n, from + group));
        pending.add(submit(() -> encodeGroup(part, mode, maxFaces), heldBytes(part)));
      }
    } catch (InferenceRejectedException e) {
      for (Future<?> f : pending) {
        f.cancel(false);
      }
      throw e;
    }
    List<EncodeResult> out = new ArrayList<>(n);
    for (Future<List<EncodeResult>> f : pending) {
      out.addAll(await(f));
    }
    return out;
  }

  /**
   * As {@link #encodeAll} without blocking the caller, and with the queue's refusal per image
   * rather than for all: images go in groups as there, and a group the queue cannot take (full, or
   * over its memory budget) gives each of its images a result failed with {@link
   * InferenceRejectedException} while the other groups run. The future completes, on an inference
   * thread or the caller's, once every group has; it never fails.
   *
   * @return one result per image, in order
   */
  public CompletableFuture<List<EncodeResult>> encodeAllAsync(
      List<byte[]> images, EncodeMode mode, int maxFaces) {
    checkMaxFaces(maxFaces);
    int n = images.size();
    if (n == 0) {
      return CompletableFuture.completedFuture(List.of());
    }
    int group = groupSize(n);
    List<CompletableFuture<List<EncodeResult>>> parts = new ArrayList<>();
    for (int from = 0; from < n; from += group) {
      List<byte[]> part = images.subList(from, Math.min(n, from + group));
      CompletableFuture<List<EncodeResult>> done =
          submitAsync(() -> encodeGroup(part, mode, maxFaces), heldBytes(part))
              .exceptionally(e -> {
                if (e instanceof InferenceRejectedException rejected) {
                  return java.util.Collections.nCopies(
                      part.size(), new EncodeResult(null, rejected));
                }
                throw e instanceof RuntimeException r
                    ? r
                    : new java.util.concurrent.CompletionException(e);
              });
      parts.add(done);
    }
    CompletableFuture<List<EncodeResult>> all = new CompletableFuture<>();
    CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]))
        .whenComplete((ignored, failure) -> {
          List<EncodeResult> out = new ArrayList<>(n);
          for (int i = 0; i < parts.size(); i++) {
            List<byte[]> part = images.subList(i * group, Math.min(n, (i + 1) * group));
            try {
              out.addAll(parts.get(i).join());
            } catch (java.util.concurrent.CompletionException e) {
              // A group that failed as a whole (closed encoder, an error outside any one image):
              // each of its images fails with it.
              Throwable cause = e.getCause() == null ? e : e.getCause();
              RuntimeException error =
                  cause instanceof RuntimeException r
                      ? r
                      : new IllegalStateException("face inference failed: " + cause, cause);
              out.addAll(java.util.Collections.nCopies(part.size(), new EncodeResult(null, error)));
            }
          }
          all.complete(out);
        });
    return all;
  }

  /**
   * Images per task of a batch: enough groups to keep every thread busy, none larger than a batch.
   */
  private int groupSize(int images) {
    return Math.max(
        1, Math.min(options.batchSize(), (images + options.threads() - 1) / options.threads()));
  }

  /**
   * The memory an encoded image holds while it waits for and goes through the models: its bytes,
   * and the decoded RGB pixels that its header declares (3 bytes each). An image over the pixel
   * limit is refused before any pixel is decoded, so it counts its bytes only.
   */
  private long heldBytes(byte[] image) {
    long pixels = ImageDecoder.declaredPixels(image);
    return image.length + (pixels <= decoder.limits().maxPixels() ? 3 * pixels : 0);
  }

  private long heldBytes(List<byte[]> images) {
    long sum = 0;
    for (byte[] image : images) {
      sum += heldBytes(image);
    }
    return sum;
  }

  /**
   * Sets the memory budget of the inference queue (see {@code InferencePool}): the most bytes the
   * images waiting or running may hold together, their encoded bytes plus their decoded pixels.
   */
  public void memoryBudget(long bytes) {
    pool.memoryBudget(bytes);
  }

  /** The memory budget of the inference queue, in bytes. */
  public long memoryBudget() {
    return pool.memoryBudget();
  }

  /** Bytes held now by the images waiting or running (see {@link #memoryBudget(long)}). */
  public long heldBytes() {
    return pool.heldBytes();
  }

  /**
   * Embeds faces that are already aligned (each resized to the model's input size if needed),
   * batched; each result has the whole input as its box and the template as its landmarks.
   */
  public List<EncodedFace> embedAligned(List<RgbImage> alignedFaces) {
    return await(
        submit(() -> {
          List<Candidate> candidates = new ArrayList<>();
          for (RgbImage face : alignedFaces) {
            candidates.add(alignedCandidate(face));
          }
          return embed(candidates);
        }));
  }

  private List<EncodeResult> encodeGroup(List<byte[]> part, EncodeMode mode, int maxFaces) {
    List<List<Candidate>> prepared = new ArrayList<>(part.size());
    List<EncodeResult> results = new ArrayList<>(part.size());
    List<Candidate> all = new ArrayList<>();
    for (byte[] bytes : part) {
      try {
        List<Candidate> found = counted(() -> prepare(decode(bytes), mode, maxFaces));
        prepared.add(found);
        all.addAll(found);
        results.add(null);
      } catch (RuntimeException e) {
        prepared.add(null);
        results.add(new EncodeResult(null, e));
      }
    }
    List<EncodedFace> embedded;
    try {
      embedded = counted(() -> embed(all));
    } catch (RuntimeException e) {
      for (int i = 0; i < part.size(); i++) {
        if (results.get(i) == null) {
          results.set(i, new EncodeResult(null, e));
        }
      }
      return results;
    }
    int next = 0;
    for (int i = 0; i < part.size(); i++) {
      if (results.get(i) == null) {
        int count = prepared.get(i).size();
        List<EncodedFace> mine = List.copyOf(embedded.subList(next, next + count));
        next += count;
        record(mine);
        results.set(i, new EncodeResult(mine, null));
      }
    }
    return results;
  }

  private List<EncodedFace> encodeNow(RgbImage image, EncodeMode mode, int maxFaces) {
    List<EncodedFace> out = embed(prepare(image, mode, maxFaces));
    record(out);
    return out;
  }

  private void record(List<EncodedFace> found) {
    images.increment();
    faces.add(found.size());
    if (found.isEmpty()) {
      imagesWithoutFace.increment();
    }
  }

  private RgbImage decode(byte[] bytes) {
    long start = System.nanoTime();
    try {
      return decoder.decode(bytes);
    } finally {
      decodeNanos.add(System.nanoTime() - start);
    }
  }

  /** Finds, sorts, trims and aligns the faces of one image. */
  private List<Candidate> prepare(RgbImage image, EncodeMode mode, int maxFaces) {
    if (mode == EncodeMode.ALIGNED) {
      return List.of(alignedCandidate(image));
    }
    long start = System.nanoTime();
    Models m = models();
    List<Detection> found = m.detector().detect(image);
    List<Detection> kept = new ArrayList<>();
    for (Detection d : found) {
      Detection c = d.clamped(image.width(), image.height());
      if (Math.min(c.width(), c.height()) >= options.minFaceSize() && c.area() > 0) {
        kept.add(d);
      }
    }
    // Largest (trimmed) box first; the detector already ordered equal areas by score.
    kept.sort(
        Comparator.comparingDouble((Detection d) -> d.clamped(image.width(), image.height()).area())
            .reversed());
    if (kept.size() > maxFaces) {
      kept = kept.subList(0, maxFaces);
    }
    detectNanos.add(System.nanoTime() - start);

    List<Candidate> out = new ArrayList<>(kept.size());
    for (Detection d : kept) {
      long t0 = System.nanoTime();
      float[] five = m.landmarks().fivePoints(image, d);
      long t1 = System.nanoTime();
      SimilarityTransform toAligned = aligner.transform(five);
      RgbImage aligned = FaceAligner.warp(image, toAligned, aligner.size(), aligner.size());
      long t2 = System.nanoTime();
      landmarkNanos.add(t1 - t0);
      alignNanos.add(t2 - t1);
      Detection c = d.clamped(image.width(), image.height());
      out.add(
          new Candidate(
              new float[] {c.x1(), c.y1(), c.width(), c.height()},
              five,
              d.score(),
              aligned,
              new EncodedFace.Alignment(toAligned, image.width(), image.height())));
    }
    return out;
  }

  /** An aligned crop: resized to the input size; template points mapped back onto it. */
  private Candidate alignedCandidate(RgbImage image) {
    long start = System.nanoTime();
    int s = featureSpec.inputSize();
    RgbImage face =
        image.width() == s && image.height() == s ? image : Resampler.resize(image, s, s);
    float[] template = featureSpec.alignmentTemplate();
    float[] points = new float[10];
    for (int i = 0; i < 10; i += 2) {
      // Template pixel centres -> continuous coordinates of the input image.
      points[i] = (template[i] + 0.5f) * image.width() / s;
      points[i + 1] = (template[i + 1] + 0.5f) * image.height() / s;
    }
    alignNanos.add(System.nanoTime() - start);
    return new Candidate(new float[] {0, 0, image.width(), image.height()}, points, 1f, face, null);
  }

  private List<EncodedFace> embed(List<Candidate> candidates) {
    if (candidates.isEmpty()) {
      return List.of();
    }
    long start = System.nanoTime();
    try {
      List<RgbImage> crops = new ArrayList<>(candidates.size());
      for (Candidate c : candidates) {
        crops.add(c.aligned());
      }
      List<FeatureExtractor.Features> feats = models().features().extract(crops);
      List<EncodedFace> out = new ArrayList<>(candidates.size());
      for (int i = 0; i < candidates.size(); i++) {
        Candidate c = candidates.get(i);
        FeatureExtractor.Features f = feats.get(i);
        out.add(
            new EncodedFace(
                f.embedding(),
                featureSpec.gridH(),
                featureSpec.gridW(),
                featureSpec.patchDims(),
                f.unitPatches(),
                f.cellNorms(),
                f.centre(),
                c.box(),
                c.landmarks(),
                c.score(),
                c.aligned(),
                c.alignment()));
      }
      return out;
    } finally {
      embedNanos.add(System.nanoTime() - start);
    }
  }

  /** Runs {@code work}, counting its failure by kind before passing it on. */
  private <T> T counted(java.util.function.Supplier<T> work) {
    try {
      return work.get();
    } catch (ImageRejectedException e) {
      error("image_" + e.reason().name().toLowerCase(Locale.ROOT));
      throw e;
    } catch (RuntimeException e) {
      error("internal");
      throw e;
    }
  }

  private void error(String kind) {
    errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  private <T> Future<T> submit(Callable<T> task) {
    return submit(task, 0);
  }

  private <T> Future<T> submit(Callable<T> task, long bytes) {
    return pool.onPoolThread() ? runHere(task) : pool.submit(task, bytes);
  }

  /**
   * As {@link #submit(Callable, long)}, completing a future instead of returning one to wait on.
   */
  private <T> CompletableFuture<T> submitAsync(Callable<T> task, long bytes) {
    return pool.onPoolThread() ? runHere(task) : pool.submitAsync(task, bytes);
  }

  /**
   * Runs {@code task} on this thread, already an inference thread: queueing and waiting could
   * deadlock a full pool.
   */
  private static <T> CompletableFuture<T> runHere(Callable<T> task) {
    CompletableFuture<T> done = new CompletableFuture<>();
    try {
      done.complete(task.call());
    } catch (Exception e) {
      done.completeExceptionally(e);
    }
    return done;
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      future.cancel(false);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for face inference", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("face inference failed: " + cause, cause);
    }
  }

  private static void checkMaxFaces(int maxFaces) {
    if (maxFaces < 1) {
      throw new IllegalArgumentException("maxFaces must be at least 1, got " + maxFaces);
    }
  }

  /** Counters since opening. */
  public EncoderStats stats() {
    Map<String, Long> errs = new TreeMap<>();
    errors.forEach((k, v) -> errs.put(k, v.sum()));
    Models m = models;
    // Sorted by kind, read-only.
    return new EncoderStats(
        images.sum(),
        faces.sum(),
        imagesWithoutFace.sum(),
        decodeNanos.sum(),
        detectNanos.sum(),
        landmarkNanos.sum(),
        alignNanos.sum(),
        embedNanos.sum(),
        m == null ? 0 : m.detector().modelNanos(),
        m == null ? 0 : m.landmarks().modelNanos(),
        m == null ? 0 : m.features().modelNanos(),
        m == null ? 0 : m.features().calls(),
        pool.queueDepth(),
        pool.active(),
        pool.rejections(),
        java.util.Collections.unmodifiableMap(errs));
  }

  /**
   * Replaces the image size limits for images decoded from now on (the node settings are dynamic);
   * work already running keeps the limits it started with.
   */
  public void updateLimits(ImageLimits limits) {
    this.decoder = new ImageDecoder(limits);
  }

  /** The image limits in force. */
  public ImageLimits limits() {
    return decoder.limits();
  }

  /** The pack this encoder runs. */
  public ModelPack pack() {
    return pack;
  }

  /** The options it was opened with (the image limits as they were then; see {@link #limits()}). */
  public EncoderOptions options() {
    return options;
  }

  /**
   * The number of faces one feature-model call takes (1 when the pack is not batchable); opens the
   * models.
   */
  public int effectiveBatchSize() {
    return models().features().batchSize();
  }

  /**
   * Stops taking work, lets running tasks finish (queued ones are dropped after a grace period) and
   * releases the models.
   *
   * @throws IllegalStateException when tasks are still inside a model call after the grace period;
   *     the models are then left open rather than freed under a running native call
   */
  @Override
  public void close() {
    if (!pool.shutdown(10_000)) {
      throw new IllegalStateException(
          "face inference threads of pack ["
              + pack.name()
              + "] are still running after 20 s; "
              + "the models were not released");
    }
    Models m;
    synchronized (this) {
      closed = true;
      m = models;
    }
    if (m != null) {
      m.sessions().close();
    }
  }
}
