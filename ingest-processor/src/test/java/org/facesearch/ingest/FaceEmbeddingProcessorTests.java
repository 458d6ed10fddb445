package org.facesearch.ingest;

import java.io.IOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.facesearch.encoder.EncodeMode;
import org.facesearch.encoder.EncodedFace;
import org.facesearch.encoder.FaceEncoder;
import org.facesearch.encoder.FaceModels;
import org.facesearch.field.FieldTestPlugin;
import org.facesearch.testing.Photos;
import org.opensearch.action.bulk.BulkItemResponse;
import org.opensearch.action.bulk.BulkRequestBuilder;
import org.opensearch.action.bulk.BulkResponse;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.PluginsService;
import org.opensearch.search.SearchHit;

/** The face_embedding processor on a real in-JVM node, with the real models and real LFW photos. */
public class FaceEmbeddingProcessorTests extends PhotoNodeTestCase {

  @Override
  protected Collection<Class<? extends Plugin>> getPlugins() {
    return List.of(FieldTestPlugin.class, IngestTestPlugin.class);
  }

  public void testBulkIndexesGoodPhotosAndFailsEachBadOneAlone() {
    pipeline("faces", ", \"remove_image\": true");
    pipeline("faces-big-only", ", \"remove_image\": true, \"min_face_size\": 1000");
    index("gallery", "\"face\": {\"type\": \"face\"}");
    byte[] bush = Photos.lfw("George_W_Bush", 1);
    // Every good photo is below the test node's image limit (IngestTestPlugin.MAX_BYTES) and the
    // "large" one above it.
    {
      BulkRequestBuilder bulk = client().prepareBulk().setRefreshPolicy("true");
      String[][] docs = {
        {"good-1", "faces", doc("good-1", photo(bush))},
        {"not-base64", "faces", doc("x", "\"%%% not base64 %%%\"")},
        {"good-2", "faces", doc("good-2", photo(Photos.lfw("George_W_Bush", 2)))},
        {
          "not-an-image",
          "faces",
          doc("x", photo("hello, I am text".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        },
        {"truncated", "faces", doc("x", photo(Arrays.copyOf(bush, 600)))},
        {"too-large", "faces", doc("x", photo(Photos.noisePng(300, 300)))},
        {"good-3", "faces", doc("good-3", photo(Photos.lfw("Aaron_Peirsol", 1)))},
        {"no-face", "faces", doc("x", photo(Photos.blankPng(200, 200)))},
        {"small-face", "faces-big-only", doc("x", photo(Photos.lfw("Tony_Blair", 1)))},
        {"missing", "faces", doc("x", null)},
        {"number", "faces", doc("x", "42")},
        {"short-embedding", null, "{\"face\": {\"embedding\": [0.1, 0.2, 0.3]}}"},
        {"nan-embedding", null, "{\"face\": [\"NaN\"" + ", 0".repeat(511) + "]}"},
        {"good-4", "faces", doc("good-4", photo(Photos.lfw("Aaron_Peirsol", 2)))},
      };
      for (String[] d : docs) {
        var request =
            client().prepareIndex("gallery").setId(d[0]).setSource(d[2], XContentType.JSON);
        if (d[1] != null) {
          request.setPipeline(d[1]);
        }
        bulk.add(request);
      }
      BulkResponse response = bulk.get();
      Map<String, String> expectedErrors =
          Map.ofEntries(
              Map.entry("not-base64", "[photo] is not valid base64"),
              Map.entry("not-an-image", "not a"),
              Map.entry("truncated", "truncated"),
              Map.entry("too-large", "61440"),
              Map.entry("no-face", "no face found"),
              Map.entry("small-face", "no face of at least 1000 pixels"),
              Map.entry("missing", "[photo] is missing"),
              Map.entry("number", "[photo] must be a base64 string"),
              Map.entry("short-embedding", "[face.embedding] must have 512 values, got 3"),
              Map.entry("nan-embedding", "value [0] is not finite: NaN"));
      for (BulkItemResponse item : response.getItems()) {
        String expected = expectedErrors.get(item.getId());
        if (expected == null) {
          assertFalse(item.getId() + ": " + item.getFailureMessage(), item.isFailed());
        } else {
          assertTrue(item.getId() + " should fail", item.isFailed());
          assertTrue(
              item.getId() + ": " + item.getFailureMessage(),
              item.getFailureMessage().contains(expected));
          assertEquals(item.getId(), 400, item.getFailure().getStatus().getStatus());
        }
      }
    }
    SearchResponse all = client().prepareSearch("gallery").setSize(20).get();
    assertEquals(4, all.getHits().getTotalHits().value());
    for (SearchHit hit : all.getHits().getHits()) {
      assertTrue(hit.getId(), hit.getId().startsWith("good-"));
      Map<String, Object> face = (Map<String, Object>) hit.getSourceAsMap().get("face");
      assertNull("the embedding is kept out of _source", face.get("embedding"));
      assertNull("patches are kept out of _source", face.get("patches"));
      assertNull("remove_image dropped the photo", hit.getSourceAsMap().get("photo"));
      assertEquals("default@0.0.1", face.get("model"));
      float ers = ((Number) face.get("ers")).floatValue();
      assertTrue("ERS of a clean LFW face: " + ers, ers > 0 && ers <= 1);
      assertEquals(4, ((List<?>) face.get("box")).size());
      assertEquals(5, ((List<?>) face.get("landmarks")).size());
    }
  }

  public void testStoredEmbeddingEqualsTheEncoderRunDirectly() throws IOException {
    pipeline("faces-keep", "");
    index("direct", "\"face\": {\"type\": \"face\", \"source_vectors\": true}");
    byte[] photo = Photos.lfw("Aaron_Peirsol", 3);
    client()
        .prepareIndex("direct")
        .setId("1")
        .setPipeline("faces-keep")
        .setRefreshPolicy("true")
        .setSource(doc("a", photo(photo)), XContentType.JSON)
        .get();
    FaceModels models =
        getInstanceFromNode(PluginsService.class)
            .filterPlugins(IngestTestPlugin.class)
            .get(0)
            .models();
    FaceEncoder encoder = models.get("default").encoder();
    EncodedFace direct = encoder.encode(photo, EncodeMode.DETECT, 1).get(0);
    List<?> stored =
        (List<?>)
            ((Map<String, Object>)
                    client().prepareGet("direct", "1").get().getSourceAsMap().get("face"))
                .get("embedding");
    for (int i = 0; i < 512; i++) {
      assertEquals(direct.embedding()[i], ((Number) stored.get(i)).floatValue(), 1e-6f);
    }
  }

  public void testPipelineOptionsAreValidatedWhenThePipelineIsCreated() {
    assertPipelineRefused("unknown model [nope]", ", \"model\": \"nope\"");
    assertPipelineRefused("[faces] must be one of [largest, all]", ", \"faces\": \"some\"");
    assertPipelineRefused(
        "[on_no_face] must be one of [fail, skip]", ", \"on_no_face\": \"maybe\"");
    assertPipelineRefused("[mode] must be one of [detect, aligned]", ", \"mode\": \"guess\"");
    assertPipelineRefused("colour", ", \"colour\": \"red\"");
  }

  private void assertPipelineRefused(String expected, String options) {
    Exception e = expectThrows(Exception.class, () -> pipeline("bad", options));
    assertTrue(e.getMessage(), e.getMessage().contains(expected));
    assertEquals(400, org.opensearch.ExceptionsHelper.status(e).getStatus());
  }

  public void testOptionsForMissingPhotosFacelessPhotosAndSmallFaces() {
    pipeline("lenient", ", \"ignore_missing\": true, \"on_no_face\": \"skip\"");
    pipeline("strict-size", ", \"min_face_size\": 1000");
    index("lenient", "\"face\": {\"type\": \"face\"}");
    client()
        .prepareIndex("lenient")
        .setId("missing")
        .setPipeline("lenient")
        .setRefreshPolicy("true")
        .setSource(doc("m", null), XContentType.JSON)
        .get();
    client()
        .prepareIndex("lenient")
        .setId("blank")
        .setPipeline("lenient")
        .setRefreshPolicy("true")
        .setSource(doc("b", photo(Photos.blankPng(120, 90))), XContentType.JSON)
        .get();
    assertNull(client().prepareGet("lenient", "missing").get().getSourceAsMap().get("face"));
    assertNull(client().prepareGet("lenient", "blank").get().getSourceAsMap().get("face"));
    Exception e =
        expectThrows(
            Exception.class,
            () ->
                client()
                    .prepareIndex("lenient")
                    .setId("small")
                    .setPipeline("strict-size")
                    .setSource(doc("s", photo(Photos.lfw("Tony_Blair", 2))), XContentType.JSON)
                    .get());
    assertTrue(e.getMessage(), e.getMessage().contains("no face of at least 1000 pixels"));
  }
}
