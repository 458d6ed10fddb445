package org.facesearch.bench.encoder;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.facesearch.encoder.EncodeMode;
import org.facesearch.encoder.EncodedFace;
import org.facesearch.encoder.EncoderOptions;
import org.facesearch.encoder.EncoderStats;
import org.facesearch.encoder.FaceEncoder;
import org.facesearch.evaluation.Args;
import org.facesearch.evaluation.Inputs;
import org.facesearch.evaluation.Lfw;
import org.facesearch.model.ModelPack;

/**
 * Where the time goes when encoding: per-stage latency on one thread (decode, detect, landmarks,
 * align, embed; model time separated from the pipeline's own work), throughput on all cores with
 * and without batching, and ONNX Runtime intra-op threading against running sessions side by side.
 *
 * <pre>benchmarks/run EncoderLatency [--photos 400]</pre>
 */
public final class EncoderLatency {
  private EncoderLatency() {}

  public static void main(String[] argv) throws Exception {
    int count = new Args(argv, Set.of("photos")).positive("photos", 400);
    List<byte[]> images = lfwImages(count);
    ModelPack pack = Inputs.defaultPack();
    int cores = Inputs.cores();
    System.out.printf(
        Locale.ROOT,
        "%d LFW images (250x250 JPEG), %d cores, %s %s%n",
        images.size(),
        cores,
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"));

    // 1. One thread, one face per model call: per-stage latency.
    try (FaceEncoder enc = FaceEncoder.open(pack, options(1, 1))) {
      for (int round = 0; round < 2; round++) {
        for (byte[] img : images) {
          enc.encode(
              img,
              EncodeMode.DETECT,
              1); // warm-up: JIT (the decoders are Java too), ONNX Runtime arenas
        }
      }
      EncoderStats before = enc.stats();
      long start = System.nanoTime();
      for (byte[] img : images) {
        enc.encode(img, EncodeMode.DETECT, 1);
      }
      long wall = System.nanoTime() - start;
      EncoderStats s = delta(before, enc.stats());
      System.out.printf(
          Locale.ROOT, "%n== one thread, batch 1 (%d images, %d faces)%n", s.images(), s.faces());
      stageTable(s);
      System.out.printf(
          Locale.ROOT,
          "  end to end: %.2f ms per image (%.1f images/s)%n",
          wall / 1e6 / images.size(),
          images.size() / (wall / 1e9));
    }

    // 2. Throughput on all cores: unbatched (concurrent single-image calls) and batched
    // (encodeAll).
    for (int batch : new int[] {1, 8}) {
      try (FaceEncoder enc = FaceEncoder.open(pack, options(cores, batch))) {
        enc.encodeAll(images.subList(0, Math.min(100, images.size())), EncodeMode.DETECT, 1);
        EncoderStats before = enc.stats();
        long start = System.nanoTime();
        if (batch == 1) {
          List<CompletableFuture<List<EncodedFace>>> pending = new ArrayList<>();
          for (byte[] img : images) {
            pending.add(enc.encodeAsync(img, EncodeMode.DETECT, 1));
          }
          for (CompletableFuture<List<EncodedFace>> f : pending) {
            f.get();
          }
        } else {
          for (int from = 0; from < images.size(); from += 64) {
            enc.encodeAll(
                images.subList(from, Math.min(images.size(), from + 64)), EncodeMode.DETECT, 1);
          }
        }
        long wall = System.nanoTime() - start;
        EncoderStats s = delta(before, enc.stats());
        System.out.printf(
            Locale.ROOT,
            "%n== %d threads, %s: %.1f images/s (%.2f ms wall per image), %d feature-model calls for %d faces%n",
            cores,
            batch == 1
                ? "one image per call, batch 1"
                : "encodeAll in groups of 64, batch " + batch,
            images.size() / (wall / 1e9),
            wall / 1e6 / images.size(),
            s.featureCalls(),
            s.faces());
        stageTable(s);
      }
    }

    // 3. The feature model alone: ONNX Runtime's intra-op threads vs sessions side by side.
    featureModelThreading(pack, cores);
  }

  private static EncoderOptions options(int threads, int batch) {
    return EncoderOptions.defaults()
        .withThreads(threads)
        .withBatchSize(batch)
        .withQueueSize(100_000);
  }

  private static void stageTable(EncoderStats s) {
    double n = s.images();
    double faces = s.faces();
    long detectOwn = s.detectNanos() - s.detectorModelNanos();
    long landmarkOwn = s.landmarkNanos() - s.landmarkModelNanos();
    long embedOwn = s.embedNanos() - s.featureModelNanos();
    System.out.printf(Locale.ROOT, "  decode     %6.2f ms/image%n", s.decodeNanos() / 1e6 / n);
    System.out.printf(
        Locale.ROOT,
        "  detect     %6.2f ms/image  (model %.2f, own work %.2f)%n",
        s.detectNanos() / 1e6 / n,
        s.detectorModelNanos() / 1e6 / n,
        detectOwn / 1e6 / n);
    System.out.printf(
        Locale.ROOT,
        "  landmarks  %6.2f ms/face   (model %.2f, own work %.2f)%n",
        s.landmarkNanos() / 1e6 / faces,
        s.landmarkModelNanos() / 1e6 / faces,
        landmarkOwn / 1e6 / faces);
    System.out.printf(
        Locale.ROOT,
        "  align      %6.2f ms/face   (similarity fit + bilinear warp)%n",
        s.alignNanos() / 1e6 / faces);
    System.out.printf(
        Locale.ROOT,
        "  embed      %6.2f ms/face   (model %.2f, own work %.2f)%n",
        s.embedNanos() / 1e6 / faces,
        s.featureModelNanos() / 1e6 / faces,
        embedOwn / 1e6 / faces);
    long own = s.decodeNanos() + detectOwn + landmarkOwn + s.alignNanos() + embedOwn;
    System.out.printf(
        Locale.ROOT,
        "  model time: %.2f ms/image (thread time, all threads summed)%n",
        s.modelNanos() / 1e6 / n);
    System.out.printf(
        Locale.ROOT,
        "  non-model work, decode included: %.2f ms/image = %.1f%% of model time%n",
        own / 1e6 / n,
        100.0 * own / s.modelNanos());
    long pipeline = own - s.decodeNanos();
    System.out.printf(
        Locale.ROOT,
        "  non-model work around the models (resize, crop, normalise, warp, tensors, NMS, patch layout): %.2f ms/image = %.1f%% of model time%n",
        pipeline / 1e6 / n,
        100.0 * pipeline / s.modelNanos());
  }

  private static EncoderStats delta(EncoderStats a, EncoderStats b) {
    return new EncoderStats(
        b.images() - a.images(),
        b.faces() - a.faces(),
        b.imagesWithoutFace() - a.imagesWithoutFace(),
        b.decodeNanos() - a.decodeNanos(),
        b.detectNanos() - a.detectNanos(),
        b.landmarkNanos() - a.landmarkNanos(),
        b.alignNanos() - a.alignNanos(),
        b.embedNanos() - a.embedNanos(),
        b.detectorModelNanos() - a.detectorModelNanos(),
        b.landmarkModelNanos() - a.landmarkModelNanos(),
        b.featureModelNanos() - a.featureModelNanos(),
        b.featureCalls() - a.featureCalls(),
        b.queueDepth(),
        b.activeThreads(),
        b.rejections() - a.rejections(),
        b.errors());
  }

  private static void featureModelThreading(ModelPack pack, int cores) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    byte[] model = pack.readVerified(pack.descriptor().feature().file());
    String input = pack.descriptor().feature().input();
    int s = pack.descriptor().feature().inputSize();
    float[] data = new float[3 * s * s];
    Random random = new Random(1);
    for (int i = 0; i < data.length; i++) {
      data[i] = random.nextFloat() * 2 - 1;
    }
    int runs = 150;
    System.out.printf(
        Locale.ROOT,
        "%n== feature model alone (%s, %d runs per figure)%n",
        pack.descriptor().feature().file(),
        runs);
    for (int intra : new java.util.TreeSet<>(List.of(1, Math.min(2, cores), cores))) {
      try (OrtSession session = session(env, model, intra)) {
        timeRuns(env, session, input, data, s, runs / 5); // warm-up
        double ms = timeRuns(env, session, input, data, s, runs);
        System.out.printf(
            Locale.ROOT,
            "  one stream, intra-op threads %d: %.2f ms per face (%.1f faces/s)%n",
            intra,
            ms,
            1000 / ms);
      }
    }
    try (OrtSession session = session(env, model, 1)) {
      timeRuns(env, session, input, data, s, runs / 5);
      ExecutorService pool = Executors.newFixedThreadPool(cores);
      try {
        long start = System.nanoTime();
        List<Future<Double>> streams = new ArrayList<>();
        for (int t = 0; t < cores; t++) {
          streams.add(pool.submit(() -> timeRuns(env, session, input, data, s, runs)));
        }
        double perStream = 0;
        for (Future<Double> f : streams) {
          perStream += f.get() / cores;
        }
        double wall = (System.nanoTime() - start) / 1e9;
        System.out.printf(
            Locale.ROOT,
            "  %d streams on one session, intra-op threads 1: %.2f ms per face per stream, %.1f faces/s in all%n",
            cores,
            perStream,
            cores * runs / wall);
      } finally {
        pool.shutdown();
      }
    }
  }

  private static OrtSession session(OrtEnvironment env, byte[] model, int intra)
      throws OrtException {
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.setIntraOpNumThreads(intra);
      o.setInterOpNumThreads(1);
      o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      return env.createSession(model, o);
    }
  }

  /** Mean milliseconds per run of {@code runs} runs. */
  private static double timeRuns(
      OrtEnvironment env, OrtSession session, String input, float[] data, int s, int runs)
      throws OrtException {
    long start = System.nanoTime();
    for (int i = 0; i < runs; i++) {
      try (OnnxTensor t =
              OnnxTensor.createTensor(env, FloatBuffer.wrap(data), new long[] {1, 3, s, s});
          OrtSession.Result r = session.run(Map.of(input, t))) {
        if (r.size() == 0) {
          throw new IllegalStateException("no output");
        }
      }
    }
    return (System.nanoTime() - start) / 1e6 / runs;
  }

  /** The first photo of each of the first {@code count} LFW people, in name order. */
  static List<byte[]> lfwImages(int count) throws java.io.IOException {
    Lfw lfw = Lfw.open();
    List<byte[]> out = new ArrayList<>();
    for (int label = 0; label < Math.min(count, lfw.people()); label++) {
      out.add(Files.readAllBytes(lfw.image(label, 0)));
    }
    return out;
  }
}
