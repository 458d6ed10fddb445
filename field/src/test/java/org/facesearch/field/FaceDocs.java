package org.facesearch.field;

import java.io.IOException;
import java.util.Base64;
import java.util.Random;
import org.apache.lucene.util.VectorUtil;
import org.facesearch.patches.PatchEncoding;
import org.facesearch.patches.PatchMap;
import org.opensearch.common.xcontent.XContentFactory;
import org.opensearch.core.xcontent.XContentBuilder;

/** Test documents with face fields made from seeded random values. */
public final class FaceDocs {

  /**
   * A random direction: Gaussian values scaled to unit length (for the tests of every module above
   * this one).
   */
  public static float[] unitVector(Random random, int dims) {
    float[] v = new float[dims];
    for (int i = 0; i < dims; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return VectorUtil.l2normalize(v);
  }

  static PatchMap patches(Random random, int rows, int cols, int dims) {
    float[] chw = new float[rows * cols * dims];
    for (int i = 0; i < chw.length; i++) {
      chw[i] = (float) random.nextGaussian();
    }
    return PatchMap.fromChannelMajor(chw, dims, rows, cols);
  }

  static XContentBuilder face(
      String field, float[] embedding, byte[] patches, float ers, String model) throws IOException {
    XContentBuilder b = XContentFactory.jsonBuilder().startObject().startObject(field);
    b.array("embedding", embedding);
    if (patches != null) {
      b.field("patches", Base64.getEncoder().encodeToString(patches));
    }
    b.field("ers", ers).field("detection_score", 0.99f).field("model", model);
    b.array("box", 1, 2, 3, 4);
    b.endObject().endObject();
    return b;
  }

  static byte[] encoded(PatchMap map, PatchEncoding encoding) {
    return encoding.encode(map);
  }

  private FaceDocs() {}
}
