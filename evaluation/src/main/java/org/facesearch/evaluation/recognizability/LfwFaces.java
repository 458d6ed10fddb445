package org.facesearch.evaluation.recognizability;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.facesearch.encoder.EncodedFace;
import org.facesearch.encoder.FaceEncoder;
import org.facesearch.evaluation.FaceChoice;
import org.facesearch.evaluation.Lfw;
import org.facesearch.evaluation.PhotoChunks;
import org.facesearch.image.RgbImage;

/**
 * LFW faces for the recognizability evaluation: the identity split, encoding photos into aligned
 * crops and embeddings, and embedding (degraded) aligned crops on every core.
 *
 * <p>The split: LFW's {@code pairs.txt} folds are identity-disjoint. People of folds 1-5 are the
 * <b>calibration</b> half (the UI centroid and the ERS threshold are chosen from them); people of
 * folds 6-10 are the <b>report</b> half (every figure shown as evidence comes from them).
 */
final class LfwFaces {
  private LfwFaces() {}

  /** Folds 0..CALIBRATION_FOLDS-1 (0-based) choose; the rest report. */
  static final int CALIBRATION_FOLDS = 5;

  /**
   * One encoded LFW photo: its person, its face (nearest the image centre) as an aligned crop and
   * unit embedding.
   */
  record Face(String person, Path path, RgbImage aligned, float[] embedding) {}

  /** The people of the calibration half ({@code calibration = true}) or the report half. */
  static Set<String> people(Lfw.Pairs pairs, boolean calibration) {
    Set<String> out = new LinkedHashSet<>();
    for (Lfw.Pair p : pairs.pairs()) {
      if ((p.fold() < CALIBRATION_FOLDS) == calibration) {
        out.add(Lfw.person(p.a()));
        out.add(Lfw.person(p.b()));
      }
    }
    return out;
  }

  /** The pairs of one half. */
  static List<Lfw.Pair> pairs(Lfw.Pairs pairs, boolean calibration) {
    return pairs.pairs().stream()
        .filter(p -> (p.fold() < CALIBRATION_FOLDS) == calibration)
        .toList();
  }

  /**
   * Detects, aligns and embeds every image (the full pipeline, batched on all encoder threads); the
   * face of an image is the one nearest its centre, as in the LFW protocol. Images where no face is
   * found are left out and listed on stdout.
   */
  static Map<Path, Face> encode(FaceEncoder encoder, List<Path> images) throws IOException {
    Map<Path, Face> out = new LinkedHashMap<>();
    List<Path> noFace = new ArrayList<>();
    long start = System.nanoTime();
    PhotoChunks.encode(
        encoder,
        images,
        (first, part, bytes, results) -> {
          for (int i = 0; i < part.size(); i++) {
            List<EncodedFace> faces = results.get(i).facesOrThrow();
            if (faces.isEmpty()) {
              noFace.add(part.get(i));
              continue;
            }
            EncodedFace face = FaceChoice.nearestCentre(faces, bytes.get(i));
            out.put(
                part.get(i),
                new Face(
                    Lfw.person(part.get(i)), part.get(i), face.alignedFace(), face.embedding()));
          }
        });
    System.out.printf(
        Locale.ROOT,
        "  encoded %d LFW photos in %.1f s%s%n",
        images.size(),
        (System.nanoTime() - start) / 1e9,
        noFace.isEmpty()
            ? ", a face in every one"
            : "; no face found in " + noFace.size() + ": " + noFace);
    return out;
  }

  /**
   * Embeddings of aligned crops, in input order, spread over {@code threads} concurrent callers of
   * the encoder.
   */
  static List<float[]> embed(FaceEncoder encoder, List<RgbImage> crops, int threads) {
    return embed(encoder, crops.size(), crops::get, threads);
  }

  /**
   * Embeddings of {@code n} aligned crops made by {@code crop} (called once per index, on the
   * worker threads, so degradations run in parallel too), in index order.
   */
  static List<float[]> embed(FaceEncoder encoder, int n, IntFunction<RgbImage> crop, int threads) {
    int chunk = 32;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<EncodedFace>>> parts = new ArrayList<>();
      for (int from = 0; from < n; from += chunk) {
        int lo = from;
        int hi = Math.min(n, from + chunk);
        parts.add(
            pool.submit(() -> {
              List<RgbImage> part = new ArrayList<>(hi - lo);
              for (int i = lo; i < hi; i++) {
                part.add(crop.apply(i));
              }
              return encoder.embedAligned(part);
            }));
      }
      List<float[]> out = new ArrayList<>(n);
      for (Future<List<EncodedFace>> f : parts) {
        for (EncodedFace e : f.get()) {
          out.add(e.embedding());
        }
      }
      return Collections.unmodifiableList(out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while embedding", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("embedding failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * A generator for item {@code index} of a run seeded {@code seed}: the same numbers whatever
   * thread asks. The seed is scrambled with the SplitMix64 finaliser first: {@link Random} seeded
   * with consecutive numbers gives nearly the same first outputs (its seed scrambling is a plain
   * XOR), which would make neighbouring items (e.g. the two photos of a pair) degrade alike.
   */
  static Random random(long seed, int index) {
    long z = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 0x632BE59BD9B14E93L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return new Random(z ^ (z >>> 31));
  }
}
