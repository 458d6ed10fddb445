package org.facesearch.bench.node;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.lucene.util.VectorUtil;
import org.facesearch.encoder.EncodeMode;
import org.facesearch.encoder.EncodeResult;
import org.facesearch.encoder.EncodedFace;
import org.facesearch.encoder.EncoderOptions;
import org.facesearch.encoder.FaceEncoder;
import org.facesearch.evaluation.Lfw;
import org.facesearch.model.ModelPack;
import org.facesearch.patches.PatchEncoding;
import org.facesearch.patches.PatchMap;

/**
 * Any number of faces (embedding and patch map) with the statistics of real ones, for galleries too
 * large to encode: each is made from real LFW faces the encoder produced, never from noise.
 *
 * <ul>
 *   <li>A synthetic identity {@code j} is a real face's embedding moved towards another real
 *       person's and away from a third: {@code normalize(e_s + 0.5 (e_t - e_u))}, with s, t, u
 *       drawn from the real faces by {@code j}. It lies in the span of real embeddings, as a new
 *       person would, not in a random direction.
 *   <li>Face {@code i} belongs to identity {@code i / facesPerIdentity}: the identity plus the
 *       difference between two real photos of one real person (a real change of pose, light,
 *       expression), scaled by {@code 0.9}, normalised.
 *   <li>Its patch map is the real patch map of the identity's face s, each cell moved by the same
 *       real person's change of that cell, scaled by {@code 0.3} (cells renormalised, norms kept).
 * </ul>
 *
 * Face {@code i} depends only on the seed and {@code i}, so a gallery of a million faces is
 * generated as it is sent, and again for the exact search, without being held in memory.
 */
final class SyntheticFaces {
  /** A real face: its unit embedding and its patch map. */
  record Real(float[] embedding, PatchMap patches) {}

  private final List<Real> seeds;
  private final List<Real[]> pairs;
  private final long seed;
  private final int facesPerIdentity;

  /**
   * @param seeds the real faces identities are made from
   * @param pairs two real faces of one person each: the changes faces of one identity differ by
   */
  SyntheticFaces(List<Real> seeds, List<Real[]> pairs, long seed, int facesPerIdentity) {
    this.seeds = seeds;
    this.pairs = pairs;
    this.seed = seed;
    this.facesPerIdentity = facesPerIdentity;
  }

  int dims() {
    return seeds.get(0).embedding().length;
  }

  /** Identity {@code j}'s unit embedding. */
  float[] identity(long j) {
    SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + j);
    float[] s = seeds.get(r.nextInt(seeds.size())).embedding();
    float[] t = seeds.get(r.nextInt(seeds.size())).embedding();
    float[] u = seeds.get(r.nextInt(seeds.size())).embedding();
    float[] v = new float[s.length];
    for (int d = 0; d < v.length; d++) {
      v[d] = s[d] + 0.5f * (t[d] - u[d]);
    }
    return normalize(v);
  }

  private int identitySeed(long j) {
    return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + j).nextInt(seeds.size());
  }

  /**
   * Gallery face {@code i}: its embedding, and with {@code withPatches} its patch map encoded as
   * {@code encoding}.
   */
  Face face(long i, boolean withPatches, PatchEncoding encoding) {
    return face(
        i / facesPerIdentity,
        new SplittableRandom(~seed * 0xBF58476D1CE4E5B9L + i),
        withPatches,
        encoding);
  }

  /** Query face {@code q}: a new face of a random identity among the first {@code identities}. */
  Face query(int q, long identities, PatchEncoding encoding) {
    SplittableRandom r = new SplittableRandom(seed * 31 + 0x632BE59BD9B4E019L + q);
    return face(r.nextLong(identities), r, true, encoding);
  }

  private Face face(
      long identity, SplittableRandom r, boolean withPatches, PatchEncoding encoding) {
    float[] centre = identity(identity);
    Real[] pair = pairs.get(r.nextInt(pairs.size()));
    float[] a = pair[0].embedding();
    float[] b = pair[1].embedding();
    float[] v = new float[centre.length];
    for (int d = 0; d < v.length; d++) {
      v[d] = centre[d] + 0.9f * (a[d] - b[d]);
    }
    normalize(v);
    byte[] patches = null;
    if (withPatches) {
      PatchMap base = seeds.get(identitySeed(identity)).patches();
      float[] cells = base.cells().clone();
      float[] ca = pair[0].patches().cells();
      float[] cb = pair[1].patches().cells();
      int dims = base.dims();
      for (int c = 0; c < base.size(); c++) {
        float norm = 0;
        for (int d = c * dims; d < (c + 1) * dims; d++) {
          cells[d] += 0.3f * (ca[d] - cb[d]);
          norm += cells[d] * cells[d];
        }
        if (norm > 0) { // a cell can be all zeros (and stays so)
          float scale = (float) (1 / Math.sqrt(norm));
          for (int d = c * dims; d < (c + 1) * dims; d++) {
            cells[d] *= scale;
          }
        }
      }
      patches =
          encoding.encode(
              new PatchMap(base.rows(), base.cols(), dims, cells, base.norms().clone()));
    }
    return new Face(v, patches);
  }

  /**
   * Prints the cosine between two faces of one identity and between faces of two identities, for
   * {@code samples} pairs of synthetic faces and for the real faces they are made from (two photos
   * of one person; first photos of two people): how close the synthetic data is to real data.
   */
  void printStatistics(int samples) {
    SplittableRandom r = new SplittableRandom(seed + 99);
    double[] synthSame = new double[samples];
    double[] synthOther = new double[samples];
    double[] realSame = new double[Math.min(samples, pairs.size())];
    double[] realOther = new double[samples];
    for (int i = 0; i < samples; i++) {
      long id = r.nextLong(1_000_000);
      long a = id * facesPerIdentity + r.nextInt(facesPerIdentity);
      long b =
          id * facesPerIdentity
              + (a % facesPerIdentity + 1 + r.nextInt(facesPerIdentity - 1)) % facesPerIdentity;
      synthSame[i] =
          VectorUtil.dotProduct(face(a, false, null).embedding(), face(b, false, null).embedding());
      long other = (id + 1 + r.nextLong(999_999)) % 1_000_000;
      synthOther[i] =
          VectorUtil.dotProduct(
              face(a, false, null).embedding(),
              face(other * facesPerIdentity, false, null).embedding());
      int s1 = r.nextInt(seeds.size());
      int s2 = (s1 + 1 + r.nextInt(seeds.size() - 1)) % seeds.size();
      realOther[i] = VectorUtil.dotProduct(seeds.get(s1).embedding(), seeds.get(s2).embedding());
    }
    for (int i = 0; i < realSame.length; i++) {
      realSame[i] = VectorUtil.dotProduct(pairs.get(i)[0].embedding(), pairs.get(i)[1].embedding());
    }
    System.out.println("| cosine between | synthetic mean (sd) | real LFW mean (sd) |");
    System.out.println("| --- | --- | --- |");
    System.out.printf(
        java.util.Locale.ROOT,
        "| two faces of one identity (real: two photos of one person) | %.3f (%.3f) | %.3f (%.3f) |%n",
        mean(synthSame),
        sd(synthSame),
        mean(realSame),
        sd(realSame));
    System.out.printf(
        java.util.Locale.ROOT,
        "| faces of two identities (real: two people) | %.3f (%.3f) | %.3f (%.3f) |%n",
        mean(synthOther),
        sd(synthOther),
        mean(realOther),
        sd(realOther));
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  private static double sd(double[] v) {
    double m = mean(v);
    double s = 0;
    for (double x : v) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / (v.length - 1));
  }

  /** A synthetic face: unit embedding, encoded patch map (null when none was asked for). */
  record Face(float[] embedding, byte[] patches) {}

  private static float[] normalize(float[] v) {
    float n = (float) Math.sqrt(VectorUtil.dotProduct(v, v));
    for (int d = 0; d < v.length; d++) {
      v[d] /= n;
    }
    return v;
  }

  /**
   * Real faces of LFW photos, encoded once with the default pack and cached in {@code cache}: the
   * first photo of each of the first {@code count} people, then, for {@code pairCount} people with
   * two photos or more, their second photo (a pair is {first, second}).
   */
  static SyntheticFaces fromLfw(
      Lfw lfw,
      ModelPack pack,
      int count,
      int pairCount,
      long seed,
      int facesPerIdentity,
      Path cache)
      throws IOException {
    List<Real> seeds;
    List<Real[]> pairs;
    Path file =
        cache.resolve("synthetic-seeds-" + pack.name() + "-" + count + "-" + pairCount + ".bin");
    if (Files.isRegularFile(file)) {
      try (DataInputStream in =
          new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
        seeds = readReals(in);
        List<Real> flat = readReals(in);
        pairs = new ArrayList<>();
        for (int i = 0; i < flat.size(); i += 2) {
          pairs.add(new Real[] {flat.get(i), flat.get(i + 1)});
        }
      }
      Log.line(
          "real faces for synthetic data: %d seeds, %d pairs, read from %s",
          seeds.size(), pairs.size(), file);
    } else {
      long t0 = System.nanoTime();
      List<Path> seedPhotos = new ArrayList<>();
      for (int label = 0; label < lfw.people() && seedPhotos.size() < count; label++) {
        seedPhotos.add(lfw.image(label, 0));
      }
      List<Path> pairPhotos = new ArrayList<>();
      for (int label = 0; label < lfw.people() && pairPhotos.size() < 2 * pairCount; label++) {
        if (lfw.imagesOf(label) >= 2) {
          pairPhotos.add(lfw.image(label, 0));
          pairPhotos.add(lfw.image(label, 1));
        }
      }
      try (FaceEncoder encoder =
          FaceEncoder.open(pack, EncoderOptions.defaults().withQueueSize(100_000))) {
        seeds = encode(encoder, seedPhotos);
        List<Real> flat = encode(encoder, pairPhotos);
        pairs = new ArrayList<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
          if (flat.get(i) != null && flat.get(i + 1) != null) {
            pairs.add(new Real[] {flat.get(i), flat.get(i + 1)});
          }
        }
        seeds.removeIf(java.util.Objects::isNull);
      }
      Files.createDirectories(cache);
      Path tmp = Files.createTempFile(cache, "seeds", ".tmp");
      try (DataOutputStream out =
          new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(tmp)))) {
        writeReals(out, seeds);
        List<Real> flat = new ArrayList<>();
        pairs.forEach(p -> flat.addAll(List.of(p)));
        writeReals(out, flat);
      }
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Log.line(
          "real faces for synthetic data: %d seeds, %d pairs encoded in %.1f s, cached in %s",
          seeds.size(), pairs.size(), (System.nanoTime() - t0) / 1e9, file);
    }
    return new SyntheticFaces(seeds, pairs, seed, facesPerIdentity);
  }

  /** The largest face of each photo, or null for a photo without one. */
  static List<Real> encode(FaceEncoder encoder, List<Path> photos) throws IOException {
    List<byte[]> bytes = new ArrayList<>();
    for (Path p : photos) {
      bytes.add(Files.readAllBytes(p));
    }
    List<Real> out = new ArrayList<>();
    for (int from = 0; from < bytes.size(); from += 256) {
      for (EncodeResult r :
          encoder.encodeAll(
              bytes.subList(from, Math.min(bytes.size(), from + 256)), EncodeMode.DETECT, 1)) {
        List<EncodedFace> faces = r.facesOrThrow();
        out.add(
            faces.isEmpty() ? null : new Real(faces.get(0).embedding(), faces.get(0).patchMap()));
      }
    }
    return out;
  }

  private static void writeReals(DataOutputStream out, List<Real> reals) throws IOException {
    out.writeInt(reals.size());
    for (Real r : reals) {
      writeFloats(out, r.embedding());
      PatchMap m = r.patches();
      out.writeInt(m.rows());
      out.writeInt(m.cols());
      out.writeInt(m.dims());
      writeFloats(out, m.cells());
      writeFloats(out, m.norms());
    }
  }

  private static List<Real> readReals(DataInputStream in) throws IOException {
    int n = in.readInt();
    List<Real> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      float[] e = readFloats(in);
      int rows = in.readInt();
      int cols = in.readInt();
      int dims = in.readInt();
      out.add(new Real(e, new PatchMap(rows, cols, dims, readFloats(in), readFloats(in))));
    }
    return out;
  }

  private static void writeFloats(DataOutputStream out, float[] v) throws IOException {
    out.writeInt(v.length);
    for (float f : v) {
      out.writeFloat(f);
    }
  }

  private static float[] readFloats(DataInputStream in) throws IOException {
    float[] v = new float[in.readInt()];
    for (int i = 0; i < v.length; i++) {
      v[i] = in.readFloat();
    }
    return v;
  }
}
