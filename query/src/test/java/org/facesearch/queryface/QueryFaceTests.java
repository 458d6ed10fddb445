package org.facesearch.queryface;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;

import java.io.IOException;
import org.junit.Test;
import org.opensearch.common.io.stream.BytesStreamOutput;
import org.opensearch.core.common.io.stream.StreamInput;

/** A query face crosses the wire (coordinating node to shards) with all of its evidence. */
public class QueryFaceTests {

  private static QueryFace roundTrip(QueryFace face) throws IOException {
    try (BytesStreamOutput out = new BytesStreamOutput()) {
      face.writeTo(out);
      try (StreamInput in = out.bytes().streamInput()) {
        return QueryFace.readFrom(in);
      }
    }
  }

  @Test
  public void occlusionAndPaddingSurviveTheWire() throws IOException {
    QueryFace face =
        new QueryFace(
            new float[] {0.6f, 0.8f},
            0.9f,
            0.81f,
            new byte[] {1, 2, 3},
            "m",
            new float[] {1f, 0.25f, 0f, 0f},
            new float[] {0.5f, 0f, 0f, 0f});
    QueryFace back = roundTrip(face);
    assertEquals(face, back);
    assertArrayEquals(new float[] {0.5f, 0f, 0f, 0f}, back.cellPadding(), 0f);
    // Padding is part of equality (the query-face cache and the rescorer's equals depend on it).
    assertNotEquals(
        face,
        new QueryFace(
            face.embedding(), 0.9f, 0.81f, face.patches(), "m", face.cellOcclusion(), null));
  }

  @Test
  public void aFaceWithoutEvidenceStaysWithout() throws IOException {
    QueryFace back = roundTrip(new QueryFace(new float[] {1f, 0f}, null, null, null, null));
    assertNull(back.cellOcclusion());
    assertNull(back.cellPadding());
    assertNull(back.ers());
  }

  @Test
  public void anEmbeddingIsEncodedDuringTheRewriteAndAnImageAsAnAsyncAction() {
    // The node's encoder, reduced to what this test needs: embeddings answer at once, images never.
    java.util.List<FaceInput> sentToModels = new java.util.ArrayList<>();
    QueryFaces faces =
        (input, listener) -> {
          if (input.embedding() != null) {
            EmbeddingFaces.encode(input, 0.5f, listener);
          } else {
            sentToModels.add(input);
          }
        };
    org.opensearch.index.query.BaseQueryRewriteContext context =
        new org.opensearch.index.query.BaseQueryRewriteContext(null, null, null, () -> 0L);
    FaceInput embedding = FaceInput.ofEmbedding(new float[] {3f, 4f}, null);
    java.util.function.Supplier<QueryFace> now = faces.register(context, embedding);
    assertEquals("no extra rewrite round", false, context.hasAsyncActions());
    assertArrayEquals(new float[] {0.6f, 0.8f}, now.get().embedding(), 1e-6f);
    assertEquals(Float.valueOf(0.5f), now.get().ersThreshold());

    FaceInput bad = FaceInput.ofEmbedding(new float[] {0f, 0f}, null);
    org.junit.Assert.assertThrows(
        IllegalArgumentException.class, () -> faces.register(context, bad));

    FaceInput image =
        FaceInput.ofImage("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    java.util.function.Supplier<QueryFace> later = faces.register(context, image);
    assertEquals(true, context.hasAsyncActions());
    assertNull(later.get());
    assertEquals("not before the round's actions run", 0, sentToModels.size());
  }
}
