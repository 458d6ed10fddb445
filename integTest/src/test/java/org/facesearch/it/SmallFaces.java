package org.facesearch.it;

import java.util.Base64;
import java.util.Locale;
import java.util.Random;
import org.facesearch.patches.PatchEncoding;
import org.facesearch.patches.PatchMap;

/**
 * Small synthetic faces (4-dimensional embeddings, 2x2x4 patch maps) for tests that need no photo.
 */
final class SmallFaces {

  static final String MAPPING_OPTIONS =
      "\"dims\": 4, \"patch_grid\": [2, 2], \"patch_dims\": 4, \"patch_encoding\": \"float32\"";

  private SmallFaces() {}

  /** A face: embedding (not unit), float32 patch map (base64), and the summary fields. */
  record Face(float[] embedding, String patches) {
    /** The face object as JSON, with box, landmarks, ERS, detection score and model. */
    String json() {
      return "{\"embedding\": "
          + array(embedding)
          + ", \"patches\": \""
          + patches
          + "\", \"ers\": 0.9, \"box\": [10, 20, 30, 40], "
          + "\"landmarks\": [[1, 2], [3, 4]], \"detection_score\": 0.99, \"model\": \"default\"}";
    }

    /** The embedding as the mapper stores it: scaled to unit length in double precision. */
    float[] unit() {
      double sum = 0;
      for (float v : embedding) {
        sum += (double) v * v;
      }
      double norm = Math.sqrt(sum);
      float[] out = new float[embedding.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) (embedding[i] / norm);
      }
      return out;
    }
  }

  /** A reproducible random face. */
  static Face face(long seed) {
    Random random = new Random(seed);
    float[] embedding = new float[4];
    for (int i = 0; i < 4; i++) {
      embedding[i] = (float) (random.nextGaussian() + 0.1);
    }
    float[] cells = new float[2 * 2 * 4];
    float[] norms = new float[4];
    for (int c = 0; c < 4; c++) {
      double sum = 0;
      for (int d = 0; d < 4; d++) {
        cells[c * 4 + d] = (float) random.nextGaussian();
        sum += cells[c * 4 + d] * cells[c * 4 + d];
      }
      double norm = Math.sqrt(sum);
      for (int d = 0; d < 4; d++) {
        cells[c * 4 + d] = (float) (cells[c * 4 + d] / norm);
      }
      norms[c] = (float) (1 + random.nextDouble());
    }
    byte[] encoded = PatchEncoding.FLOAT32.encode(new PatchMap(2, 2, 4, cells, norms));
    return new Face(embedding, Base64.getEncoder().encodeToString(encoded));
  }

  static String array(float[] values) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < values.length; i++) {
      b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.9g", values[i]));
    }
    return b.append(']').toString();
  }
}
