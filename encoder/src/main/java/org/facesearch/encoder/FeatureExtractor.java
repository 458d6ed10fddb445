package org.facesearch.encoder;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.facesearch.image.RgbImage;
import org.facesearch.model.ModelIO;
import org.facesearch.model.ModelSessions;
import org.facesearch.model.PackDescriptor;
import org.facesearch.vectors.UnitVectors;

/**
 * Runs the feature model on aligned faces and turns its two outputs into the pieces of an {@link
 * EncodedFace}: the L2-normalised embedding, the patch tensor [N, C, H, W] rearranged into H*W unit
 * cell vectors plus their norms, and the L2-normalised centre (mean over cells). Faces share a
 * model call, up to {@code batchSize}, when the pack declares the model batchable.
 */
final class FeatureExtractor {
  private final ModelSessions sessions;
  private final PackDescriptor.Feature spec;
  private final int batchSize;
  private final LongAdder modelNanos = new LongAdder();
  private final LongAdder calls = new LongAdder();

  /** The raw pieces for one face, before box and landmarks are attached. */
  record Features(float[] embedding, float[] unitPatches, float[] cellNorms, float[] centre) {}

  FeatureExtractor(ModelSessions sessions, int batchSize) {
    this.sessions = sessions;
    this.spec = sessions.descriptor().feature();
    this.batchSize = spec.batchable() ? batchSize : 1;
  }

  /** Features of each face (each {@code inputSize x inputSize}), in order. */
  List<Features> extract(List<RgbImage> faces) {
    List<Features> out = new ArrayList<>(faces.size());
    for (int from = 0; from < faces.size(); from += batchSize) {
      out.addAll(run(faces.subList(from, Math.min(faces.size(), from + batchSize))));
    }
    return out;
  }

  private List<Features> run(List<RgbImage> faces) {
    int s = spec.inputSize();
    int plane = s * s;
    int n = faces.size();
    float[] input = new float[n * 3 * plane];
    float[] mean = spec.mean();
    float[] scale = spec.scale();
    // Model channel 0 is R, or B for a BGR model; mean and scale are given in model order.
    int first = spec.bgr() ? 2 : 0;
    int last = 2 - first;
    for (int f = 0; f < n; f++) {
      RgbImage face = faces.get(f);
      if (face.width() != s || face.height() != s) {
        throw new IllegalArgumentException(
            "an aligned face must be "
                + s
                + "x"
                + s
                + ", got "
                + face.width()
                + "x"
                + face.height());
      }
      byte[] px = face.pixels();
      int base = f * 3 * plane;
      for (int i = 0; i < plane; i++) {
        input[base + i] = ((px[3 * i + first] & 0xFF) - mean[0]) * scale[0];
        input[base + plane + i] = ((px[3 * i + 1] & 0xFF) - mean[1]) * scale[1];
        input[base + 2 * plane + i] = ((px[3 * i + last] & 0xFF) - mean[2]) * scale[2];
      }
    }
    float[] embeddings;
    float[] maps;
    long start = System.nanoTime();
    try (OnnxTensor t =
            OnnxTensor.createTensor(
                sessions.environment(),
                ModelIO.direct(input, input.length),
                new long[] {n, 3, s, s});
        OrtSession.Result r =
            sessions
                .feature()
                .run(Map.of(spec.input(), t), Set.of(spec.embeddingOutput(), spec.patchTensor()))) {
      embeddings = ModelIO.floats(r, spec.embeddingOutput());
      maps = ModelIO.floats(r, spec.patchTensor());
    } catch (OrtException e) {
      throw new IllegalStateException("the feature model failed: " + e.getMessage(), e);
    } finally {
      modelNanos.add(System.nanoTime() - start);
      calls.increment();
    }
    int dims = spec.embeddingDims();
    int cells = spec.gridH() * spec.gridW();
    int channels = spec.patchDims();
    if (embeddings.length != n * dims || maps.length != n * cells * channels) {
      throw new IllegalStateException(
          "the feature model returned "
              + embeddings.length
              + " embedding and "
              + maps.length
              + " patch values for "
              + n
              + " faces; expected "
              + n * dims
              + " and "
              + n * cells * channels);
    }
    List<Features> out = new ArrayList<>(n);
    for (int f = 0; f < n; f++) {
      float[] embedding = new float[dims];
      System.arraycopy(embeddings, f * dims, embedding, 0, dims);
      if (!(UnitVectors.normalise(embedding) > 0)) {
        throw new IllegalStateException(
            "the feature model produced a zero (or non-finite) embedding");
      }
      out.add(patches(maps, f * cells * channels, cells, channels, embedding));
    }
    return out;
  }

  /** Rearranges one face's [C, H*W] map into row-major cell vectors, their norms and the centre. */
  private static Features patches(
      float[] map, int offset, int cells, int channels, float[] embedding) {
    float[] unit = new float[cells * channels];
    float[] centre = new float[channels];
    for (int c = 0; c < channels; c++) {
      int src = offset + c * cells;
      double sum = 0;
      for (int cell = 0; cell < cells; cell++) {
        float v = map[src + cell];
        unit[cell * channels + c] = v;
        sum += v;
      }
      centre[c] = (float) (sum / cells);
    }
    float[] norms = new float[cells];
    float[] vector = new float[channels];
    for (int cell = 0; cell < cells; cell++) {
      System.arraycopy(unit, cell * channels, vector, 0, channels);
      norms[cell] = UnitVectors.normalise(vector);
      System.arraycopy(vector, 0, unit, cell * channels, channels);
    }
    UnitVectors.normalise(centre);
    return new Features(embedding, unit, norms, centre);
  }

  long modelNanos() {
    return modelNanos.sum();
  }

  long calls() {
    return calls.sum();
  }

  int batchSize() {
    return batchSize;
  }
}
