package org.facesearch.plugin.ingest;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.facesearch.encoder.EncodeMode;
import org.facesearch.encoder.EncodedFace;
import org.facesearch.encoder.FaceEncoder;
import org.facesearch.encoder.FaceModels;
import org.facesearch.plugin.FaceSearchPlugin;
import org.opensearch.action.bulk.BulkItemResponse;
import org.opensearch.action.bulk.BulkRequestBuilder;
import org.opensearch.action.bulk.BulkResponse;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.core.common.bytes.BytesArray;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.PluginsService;
import org.opensearch.search.SearchHit;
import org.opensearch.test.OpenSearchSingleNodeTestCase;

/** The face_embedding processor on a real in-JVM node, with the real models and real LFW photos. */
public class FaceEmbeddingProcessorTests extends OpenSearchSingleNodeTestCase {

  @Override
  protected Collection<Class<? extends Plugin>> getPlugins() {
    return List.of(FaceSearchPlugin.class);
  }

  @Override
  protected boolean resetNodeAfterTest() {
    return false; // one node (and one model load) for the whole class
  }

  private void pipeline(String id, String options) {
    String target = options.contains("target_field") ? "" : ", \"target_field\": \"face\"";
    client().admin().cluster().preparePutPipeline(id, new BytesArray(
        "{\"processors\": [{\"face_embedding\": {\"field\": \"photo\"" + target + options + "}}]}"), XContentType.JSON).get();
  }

  private void index(String name, String faceMapping) {
    if (!client().admin().indices().prepareExists(name).get().isExists()) {
      client().admin().indices().prepareCreate(name).setMapping("{\"_source\": {\"excludes\": [\"*.patches\"]}, \"properties\": {"
          + faceMapping + ", \"name\": {\"type\": \"keyword\"}}}").get();
    }
  }

  private static String doc(String name, String photoJson) {
    return "{\"name\": \"" + name + "\"" + (photoJson == null ? "" : ", \"photo\": " + photoJson) + "}";
  }

  private static String photo(byte[] bytes) {
    return "\"" + Photos.base64(bytes) + "\"";
  }

  public void testBulkIndexesGoodPhotosAndFailsEachBadOneAlone() {
    pipeline("faces", ", \"remove_image\": true");
    pipeline("faces-big-only", ", \"remove_image\": true, \"min_face_size\": 1000");
    index("gallery", "\"face\": {\"type\": \"face\"}");
    byte[] bush = Photos.lfw("George_W_Bush", 1);
    // Every good photo is below this size and the "large" one above it.
    client().admin().cluster().prepareUpdateSettings()
        .setTransientSettings(Settings.builder().put("plugins.face.image.max_bytes", "60kb")).get();
    try {
      BulkRequestBuilder bulk = client().prepareBulk().setRefreshPolicy("true");
      String[][] docs = {
        {"good-1", "faces", doc("good-1", photo(bush))},
        {"not-base64", "faces", doc("x", "\"%%% not base64 %%%\"")},
        {"good-2", "faces", doc("good-2", photo(Photos.lfw("George_W_Bush", 2)))},
        {"not-an-image", "faces", doc("x", photo("hello, I am text".getBytes(java.nio.charset.StandardCharsets.UTF_8)))},
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
        var request = client().prepareIndex("gallery").setId(d[0]).setSource(d[2], XContentType.JSON);
        if (d[1] != null) {
          request.setPipeline(d[1]);
        }
        bulk.add(request);
      }
      BulkResponse response = bulk.get();
      Map<String, String> expectedErrors = Map.ofEntries(
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
          assertTrue(item.getId() + ": " + item.getFailureMessage(), item.getFailureMessage().contains(expected));
          assertEquals(item.getId(), 400, item.getFailure().getStatus().getStatus());
        }
      }
    } finally {
      client().admin().cluster().prepareUpdateSettings()
          .setTransientSettings(Settings.builder().putNull("plugins.face.image.max_bytes")).get();
    }
    SearchResponse all = client().prepareSearch("gallery").setSize(20).get();
    assertEquals(4, all.getHits().getTotalHits().value());
    for (SearchHit hit : all.getHits().getHits()) {
      assertTrue(hit.getId(), hit.getId().startsWith("good-"));
      Map<String, Object> face = (Map<String, Object>) hit.getSourceAsMap().get("face");
      assertEquals(512, ((List<?>) face.get("embedding")).size());
      assertNull("patches are kept out of _source", face.get("patches"));
      assertNull("remove_image dropped the photo", hit.getSourceAsMap().get("photo"));
      assertEquals("default@0.0.1", face.get("model"));
      float ers = ((Number) face.get("ers")).floatValue();
      assertTrue("ERS of a clean LFW face: " + ers, ers > 0 && ers <= 1);
      assertEquals(4, ((List<?>) face.get("box")).size());
      assertEquals(5, ((List<?>) face.get("landmarks")).size());
    }
  }

  public void testARepeatedQueryImageIsEncodedOnce() {
    pipeline("faces-cache", "");
    index("cache", "\"face\": {\"type\": \"face\"}");
    client().prepareIndex("cache").setId("1").setPipeline("faces-cache").setRefreshPolicy("true")
        .setSource(doc("a", photo(Photos.lfw("Aaron_Peirsol", 4))), XContentType.JSON).get();
    FaceEncoder encoder = getInstanceFromNode(PluginsService.class).filterPlugins(FaceSearchPlugin.class).get(0).models()
        .get("default").encoder();
    String image = Photos.base64(Photos.lfw("Gerhard_Schroeder", 1));
    long before = encoder.stats().images();
    // Both stages use the query face; the second search asks for the same image again.
    for (int i = 0; i < 2; i++) {
      client().prepareSearch("cache").setSource(new org.opensearch.search.builder.SearchSourceBuilder()
          .query(new org.facesearch.plugin.query.FaceQueryBuilder("face",
              new org.facesearch.face.FaceInput(null, null, List.of(image), false, "detect", "default")).k(1))
          .addRescorer(new org.facesearch.rescore.FaceEmdRescorerBuilder("face", org.facesearch.emd.EmdParams.defaults(), null))).get();
    }
    assertEquals("one encoding for two searches of two stages each", 1, encoder.stats().images() - before);
  }

  public void testStoredEmbeddingEqualsTheEncoderRunDirectly() throws IOException {
    pipeline("faces-keep", "");
    index("direct", "\"face\": {\"type\": \"face\"}");
    byte[] photo = Photos.lfw("Aaron_Peirsol", 3);
    client().prepareIndex("direct").setId("1").setPipeline("faces-keep").setRefreshPolicy("true")
        .setSource(doc("a", photo(photo)), XContentType.JSON).get();
    FaceModels models = getInstanceFromNode(PluginsService.class).filterPlugins(FaceSearchPlugin.class).get(0).models();
    FaceEncoder encoder = models.get("default").encoder();
    EncodedFace direct = encoder.encode(photo, EncodeMode.DETECT, 1).get(0);
    List<?> stored = (List<?>) ((Map<String, Object>) client().prepareGet("direct", "1").get().getSourceAsMap().get("face")).get("embedding");
    for (int i = 0; i < 512; i++) {
      assertEquals(direct.embedding()[i], ((Number) stored.get(i)).floatValue(), 1e-6f);
    }
  }

  public void testStageOneAndTwoByImageFindThePerson() {
    pipeline("faces-search", "");
    index("people", "\"face\": {\"type\": \"face\"}");
    BulkRequestBuilder bulk = client().prepareBulk().setRefreshPolicy("true");
    String[][] gallery = {{"George_W_Bush", "1"}, {"George_W_Bush", "2"}, {"Aaron_Peirsol", "1"}, {"Aaron_Peirsol", "2"},
        {"Colin_Powell", "1"}, {"Tony_Blair", "1"}, {"Donald_Rumsfeld", "1"}};
    for (String[] g : gallery) {
      bulk.add(client().prepareIndex("people").setId(g[0] + "_" + g[1]).setPipeline("faces-search")
          .setSource(doc(g[0], photo(Photos.lfw(g[0], Integer.parseInt(g[1])))), XContentType.JSON));
    }
    assertFalse(bulk.get().buildFailureMessage(), bulk.get().hasFailures());
    String query = Photos.base64(Photos.lfw("Colin_Powell", 2));
    SearchResponse stage1 = client().prepareSearch("people").setQuery(QueryBuilders.wrapperQuery(
        "{\"face\": {\"field\": \"face\", \"image\": \"" + query + "\", \"k\": 5}}")).get();
    assertEquals("Colin_Powell_1", stage1.getHits().getAt(0).getId());
    assertTrue(stage1.getHits().getAt(0).getScore() > 0.28f); // the verification threshold measured on LFW
  }

  /** An image shrunk to 16x16 and scaled back: a face no model can recognise. */
  private static byte[] lowResolution(BufferedImage image) throws IOException {
    BufferedImage small = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = small.createGraphics();
    g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(image, 0, 0, 16, 16, null);
    g.dispose();
    BufferedImage back = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    g = back.createGraphics();
    g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(small, 0, 0, image.getWidth(), image.getHeight(), null);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(back, "png", out);
    return out.toByteArray();
  }

  public void testUnrecognizableQueriesAreReportedNotMatched() throws IOException {
    pipeline("faces-gate", "");
    index("gate", "\"face\": {\"type\": \"face\"}");
    client().prepareIndex("gate").setId("powell").setPipeline("faces-gate").setRefreshPolicy("true")
        .setSource(doc("p", photo(Photos.lfw("Colin_Powell", 1))), XContentType.JSON).get();
    FaceModels models = getInstanceFromNode(PluginsService.class).filterPlugins(FaceSearchPlugin.class).get(0).models();
    Float threshold = models.get("default").ersThreshold();
    assertNotNull("the default pack ships a calibrated ERS threshold", threshold);
    // The aligned face at 16x16, queried as an aligned crop (the detector would not find it).
    FaceEncoder encoder = models.get("default").encoder();
    byte[] blurred = lowResolution(encoder.encode(Photos.lfw("Colin_Powell", 2), EncodeMode.DETECT, 1).get(0).alignedFace().toBufferedImage());
    float ers = models.get("default").ers(encoder.encode(blurred, EncodeMode.ALIGNED, 1).get(0).embedding());
    assertTrue("a 16x16 face is below the threshold: ERS " + ers + " vs " + threshold, ers < threshold);
    String image = Photos.base64(blurred);

    Exception e = expectThrows(Exception.class, () -> client().prepareSearch("gate")
        .setQuery(QueryBuilders.wrapperQuery("{\"face\": {\"field\": \"face\", \"mode\": \"aligned\", \"image\": \"" + image + "\"}}")).get());
    assertEquals(400, org.opensearch.ExceptionsHelper.status(e).getStatus());
    assertTrue(e.getMessage(), e.getMessage().contains("unrecognizable") && e.getMessage().contains(String.format(java.util.Locale.ROOT, "%.3f", threshold)));

    SearchResponse empty = client().prepareSearch("gate").setQuery(QueryBuilders.wrapperQuery(
        "{\"face\": {\"field\": \"face\", \"mode\": \"aligned\", \"image\": \"" + image + "\", \"on_unrecognizable_query\": \"empty\"}}")).get();
    assertEquals(0, empty.getHits().getHits().length);
    // The reason travels with the response, as a Warning header.
    assertWarnings(String.format(java.util.Locale.ROOT,
        "[face] query on [face] returned no hits: the query face is unrecognizable: its ERS %.3f is below the threshold %.3f", ers, threshold));

    SearchResponse ignored = client().prepareSearch("gate").setQuery(QueryBuilders.wrapperQuery(
        "{\"face\": {\"field\": \"face\", \"mode\": \"aligned\", \"image\": \"" + image + "\", \"on_unrecognizable_query\": \"ignore\"}}")).get();
    assertEquals(1, ignored.getHits().getHits().length);

    // A lower query_min_ers lets the same face through; a clean photo passes the default.
    SearchResponse lowered = client().prepareSearch("gate").setQuery(QueryBuilders.wrapperQuery(
        "{\"face\": {\"field\": \"face\", \"mode\": \"aligned\", \"image\": \"" + image + "\", \"query_min_ers\": " + (ers * 0.9f) + "}}")).get();
    assertEquals(1, lowered.getHits().getHits().length);
    SearchResponse clean = client().prepareSearch("gate").setQuery(QueryBuilders.wrapperQuery(
        "{\"face\": {\"field\": \"face\", \"image\": \"" + Photos.base64(Photos.lfw("Colin_Powell", 3)) + "\"}}")).get();
    assertEquals("powell", clean.getHits().getAt(0).getId());

    // A template of only unrecognizable photos is unrecognizable; with a clean photo it finds the person.
    Exception t = expectThrows(Exception.class, () -> client().prepareSearch("gate").setQuery(QueryBuilders.wrapperQuery(
        "{\"face\": {\"field\": \"face\", \"mode\": \"aligned\", \"images\": [\"" + image + "\", \"" + image + "\"]}}")).get());
    assertEquals(400, org.opensearch.ExceptionsHelper.status(t).getStatus());
    ByteArrayOutputStream alignedClean = new ByteArrayOutputStream();
    ImageIO.write(encoder.encode(Photos.lfw("Colin_Powell", 4), EncodeMode.DETECT, 1).get(0).alignedFace().toBufferedImage(), "png", alignedClean);
    SearchResponse template = client().prepareSearch("gate").setQuery(QueryBuilders.wrapperQuery(
        "{\"face\": {\"field\": \"face\", \"mode\": \"aligned\", \"images\": [\"" + image + "\", \""
            + Photos.base64(alignedClean.toByteArray()) + "\"]}}")).get();
    assertEquals("powell", template.getHits().getAt(0).getId());
  }

  public void testPipelineOptionsAreValidatedWhenThePipelineIsCreated() {
    assertPipelineRefused("unknown model [nope]", ", \"model\": \"nope\"");
    assertPipelineRefused("[faces] must be one of [largest, all]", ", \"faces\": \"some\"");
    assertPipelineRefused("[on_no_face] must be one of [fail, skip]", ", \"on_no_face\": \"maybe\"");
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
    client().prepareIndex("lenient").setId("missing").setPipeline("lenient").setRefreshPolicy("true")
        .setSource(doc("m", null), XContentType.JSON).get();
    client().prepareIndex("lenient").setId("blank").setPipeline("lenient").setRefreshPolicy("true")
        .setSource(doc("b", photo(Photos.blankPng(120, 90))), XContentType.JSON).get();
    assertNull(client().prepareGet("lenient", "missing").get().getSourceAsMap().get("face"));
    assertNull(client().prepareGet("lenient", "blank").get().getSourceAsMap().get("face"));
    Exception e = expectThrows(Exception.class, () -> client().prepareIndex("lenient").setId("small").setPipeline("strict-size")
        .setSource(doc("s", photo(Photos.lfw("Tony_Blair", 2))), XContentType.JSON).get());
    assertTrue(e.getMessage(), e.getMessage().contains("no face of at least 1000 pixels"));
  }

  public void testImageLimitsApplyAndCanBeChangedOnALiveCluster() {
    pipeline("limits", "");
    index("limits", "\"face\": {\"type\": \"face\"}");
    client().admin().cluster().prepareUpdateSettings()
        .setTransientSettings(Settings.builder().put("plugins.face.image.max_bytes", "1kb")).get();
    try {
      Exception e = expectThrows(Exception.class, () -> client().prepareIndex("limits").setPipeline("limits")
          .setSource(doc("x", photo(Photos.lfw("Tony_Blair", 3))), XContentType.JSON).get());
      assertTrue(e.getMessage(), e.getMessage().contains("1024"));
      assertEquals(400, org.opensearch.ExceptionsHelper.status(e).getStatus());
    } finally {
      client().admin().cluster().prepareUpdateSettings()
          .setTransientSettings(Settings.builder().putNull("plugins.face.image.max_bytes")).get();
    }
    client().prepareIndex("limits").setPipeline("limits").setSource(doc("x", photo(Photos.lfw("Tony_Blair", 3))), XContentType.JSON).get();
  }

  public void testAllFacesOfAGroupPhotoGoToANestedField() throws IOException {
    pipeline("group", ", \"faces\": \"all\", \"target_field\": \"faces\"");
    client().admin().indices().prepareCreate("groups").setMapping(
        "{\"_source\": {\"excludes\": [\"faces.face.patches\"]}, \"properties\": {\"faces\": {\"type\": \"nested\", \"properties\": "
            + "{\"face\": {\"type\": \"face\"}}}}}").get();
    byte[] group = sideBySide(Photos.lfw("Tony_Blair", 1), Photos.lfw("Colin_Powell", 1));
    client().prepareIndex("groups").setId("g").setPipeline("group").setRefreshPolicy("true")
        .setSource("{\"photo\": \"" + Photos.base64(group) + "\"}", XContentType.JSON).get();
    List<?> faces = (List<?>) client().prepareGet("groups", "g").get().getSourceAsMap().get("faces");
    assertTrue("faces found: " + faces.size(), faces.size() >= 2);
    String query = Photos.base64(Photos.lfw("Colin_Powell", 2));
    SearchResponse response = client().prepareSearch("groups").setQuery(QueryBuilders.wrapperQuery(
        "{\"nested\": {\"path\": \"faces\", \"query\": {\"face\": {\"field\": \"faces.face\", \"image\": \"" + query + "\", \"k\": 3}},"
            + " \"score_mode\": \"max\", \"inner_hits\": {\"_source\": false}}}")).get();
    assertEquals("the photo comes back once", 1, response.getHits().getHits().length);
    SearchHit best = response.getHits().getAt(0).getInnerHits().get("faces").getAt(0);
    // The nested face matching Colin Powell is the right half of the picture.
    Map<String, Object> source = client().prepareGet("groups", "g").get().getSourceAsMap();
    Map<String, Object> matched = (Map<String, Object>) ((Map<String, Object>) ((List<?>) source.get("faces")).get(best.getNestedIdentity().getOffset())).get("face");
    double x = ((Number) ((List<?>) matched.get("box")).get(0)).doubleValue();
    assertTrue("matched face at x=" + x, x >= 250);
  }

  private static byte[] sideBySide(byte[] left, byte[] right) throws IOException {
    BufferedImage a = ImageIO.read(new ByteArrayInputStream(left));
    BufferedImage b = ImageIO.read(new ByteArrayInputStream(right));
    BufferedImage both = new BufferedImage(a.getWidth() + b.getWidth(), Math.max(a.getHeight(), b.getHeight()), BufferedImage.TYPE_INT_RGB);
    both.getGraphics().drawImage(a, 0, 0, null);
    both.getGraphics().drawImage(b, a.getWidth(), 0, null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(both, "jpg", out);
    return out.toByteArray();
  }
}
