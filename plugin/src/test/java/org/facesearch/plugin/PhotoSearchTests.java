package org.facesearch.plugin;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.facesearch.encoder.EncodeMode;
import org.facesearch.encoder.FaceEncoder;
import org.facesearch.encoder.FaceModels;
import org.facesearch.ingest.PhotoNodeTestCase;
import org.facesearch.testing.Photos;
import org.opensearch.action.bulk.BulkRequestBuilder;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.PluginsService;
import org.opensearch.search.SearchHit;

/**
 * Photos to search results through the whole plugin on an in-JVM node: a pipeline indexes real LFW
 * photos, the face query and the face_emd rescorer search them by photo.
 */
public class PhotoSearchTests extends PhotoNodeTestCase {

  @Override
  protected Collection<Class<? extends Plugin>> getPlugins() {
    return List.of(FaceSearchPlugin.class);
  }

  public void testARepeatedQueryImageIsEncodedOnce() {
    pipeline("faces-cache", "");
    index("cache", "\"face\": {\"type\": \"face\"}");
    client()
        .prepareIndex("cache")
        .setId("1")
        .setPipeline("faces-cache")
        .setRefreshPolicy("true")
        .setSource(doc("a", photo(Photos.lfw("Aaron_Peirsol", 4))), XContentType.JSON)
        .get();
    FaceEncoder encoder = plugin().models().get("default").encoder();
    byte[] image = Photos.lfw("Gerhard_Schroeder", 1);
    long before = encoder.stats().images();
    // Both stages use the query face; the second search asks for the same image again.
    for (int i = 0; i < 2; i++) {
      client()
          .prepareSearch("cache")
          .setSource(
              new org.opensearch.search.builder.SearchSourceBuilder()
                  .query(
                      new org.facesearch.query.FaceQueryBuilder(
                              "face",
                              org.facesearch.queryface.FaceInput.ofImage(image),
                              plugin().queryFaces())
                          .k(1))
                  .addRescorer(
                      new org.facesearch.rescore.FaceEmdRescorerBuilder(
                          "face",
                          org.facesearch.emd.EmdParams.defaults(),
                          null,
                          plugin().queryFaces())))
          .get();
    }
    assertEquals(
        "one encoding for two searches of two stages each", 1, encoder.stats().images() - before);
  }

  public void testStageOneAndTwoByImageFindThePerson() {
    pipeline("faces-search", "");
    index("people", "\"face\": {\"type\": \"face\"}");
    BulkRequestBuilder bulk = client().prepareBulk().setRefreshPolicy("true");
    String[][] gallery = {
      {"George_W_Bush", "1"},
      {"George_W_Bush", "2"},
      {"Aaron_Peirsol", "1"},
      {"Aaron_Peirsol", "2"},
      {"Colin_Powell", "1"},
      {"Tony_Blair", "1"},
      {"Donald_Rumsfeld", "1"}
    };
    for (String[] g : gallery) {
      bulk.add(
          client()
              .prepareIndex("people")
              .setId(g[0] + "_" + g[1])
              .setPipeline("faces-search")
              .setSource(
                  doc(g[0], photo(Photos.lfw(g[0], Integer.parseInt(g[1])))), XContentType.JSON));
    }
    assertFalse(bulk.get().buildFailureMessage(), bulk.get().hasFailures());
    String query = Photos.base64(Photos.lfw("Colin_Powell", 2));
    SearchResponse stage1 =
        client()
            .prepareSearch("people")
            .setQuery(
                QueryBuilders.wrapperQuery(
                    "{\"face\": {\"field\": \"face\", \"image\": \"" + query + "\", \"k\": 5}}"))
            .get();
    assertEquals("Colin_Powell_1", stage1.getHits().getAt(0).getId());
    assertTrue(
        stage1.getHits().getAt(0).getScore() > 0.28f); // the verification threshold measured on LFW
  }

  /** An image shrunk to 16x16 and scaled back: a face no model can recognise. */
  private static byte[] lowResolution(BufferedImage image) throws IOException {
    BufferedImage small = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = small.createGraphics();
    g.setRenderingHint(
        java.awt.RenderingHints.KEY_INTERPOLATION,
        java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(image, 0, 0, 16, 16, null);
    g.dispose();
    BufferedImage back =
        new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    g = back.createGraphics();
    g.setRenderingHint(
        java.awt.RenderingHints.KEY_INTERPOLATION,
        java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(small, 0, 0, image.getWidth(), image.getHeight(), null);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(back, "png", out);
    return out.toByteArray();
  }

  public void testUnrecognizableQueriesAreReportedNotMatched() throws IOException {
    pipeline("faces-gate", "");
    index("gate", "\"face\": {\"type\": \"face\"}");
    client()
        .prepareIndex("gate")
        .setId("powell")
        .setPipeline("faces-gate")
        .setRefreshPolicy("true")
        .setSource(doc("p", photo(Photos.lfw("Colin_Powell", 1))), XContentType.JSON)
        .get();
    FaceModels models = plugin().models();
    Float threshold = models.get("default").ersThreshold();
    assertNotNull("the default pack ships a calibrated ERS threshold", threshold);
    // The aligned face at 16x16, queried as an aligned crop (the detector would not find it).
    FaceEncoder encoder = models.get("default").encoder();
    byte[] blurred =
        lowResolution(
            encoder
                .encode(Photos.lfw("Colin_Powell", 2), EncodeMode.DETECT, 1)
                .get(0)
                .alignedFace()
                .toBufferedImage());
    float ers =
        models
            .get("default")
            .ers(encoder.encode(blurred, EncodeMode.ALIGNED, 1).get(0).embedding());
    assertTrue(
        "a 16x16 face is below the threshold: ERS " + ers + " vs " + threshold, ers < threshold);
    String image = Photos.base64(blurred);

    Exception e =
        expectThrows(
            Exception.class,
            () ->
                client()
                    .prepareSearch("gate")
                    .setQuery(
                        QueryBuilders.wrapperQuery(
                            "{\"face\": {\"field\": \"face\", \"mode\": \"aligned\", \"image\": \""
                                + image
                                + "\"}}"))
                    .get());
    assertEquals(400, org.opensearch.ExceptionsHelper.status(e).getStatus());
    assertTrue(
        e.getMessage(),
        e.getMessage().contains("unrecognizable")
            && e.getMessage().contains(String.format(java.util.Locale.ROOT, "%.3f", threshold)));

    SearchResponse empty =
        client()
            .prepareSearch("gate")
            .setQuery(
                QueryBuilders.wrapperQuery(
                    "{\"face\": {\"field\": \"face\", \"mode\": \"aligned\", \"image\": \""
                        + image
                        + "\", \"on_unrecognizable_query\": \"empty\"}}"))
            .get();
    assertEquals(0, empty.getHits().getHits().length);
    // The reason travels with the response, as a Warning header.
    assertWarnings(
        String.format(
            java.util.Locale.ROOT,
            "[face] query on [face] returned no hits: the query face is unrecognizable: its ERS %.3f is below the threshold %.3f",
            ers,
            threshold));

    SearchResponse ignored =
        client()
            .prepareSearch("gate")
            .setQuery(
                QueryBuilders.wrapperQuery(
                    "{\"face\": {\"field\": \"face\", \"mode\": \"aligned\", \"image\": \""
                        + image
                        + "\", \"on_unrecognizable_query\": \"ignore\"}}"))
            .get();
    assertEquals(1, ignored.getHits().getHits().length);

    // A lower query_min_ers lets the same face through; a clean photo passes the default.
    SearchResponse lowered =
        client()
            .prepareSearch("gate")
            .setQuery(
                QueryBuilders.wrapperQuery(
                    "{\"face\": {\"field\": \"face\", \"mode\": \"aligned\", \"image\": \""
                        + image
                        + "\", \"query_min_ers\": "
                        + (ers * 0.9f)
                        + "}}"))
            .get();
    assertEquals(1, lowered.getHits().getHits().length);
    SearchResponse clean =
        client()
            .prepareSearch("gate")
            .setQuery(
                QueryBuilders.wrapperQuery(
                    "{\"face\": {\"field\": \"face\", \"image\": \""
                        + Photos.base64(Photos.lfw("Colin_Powell", 3))
                        + "\"}}"))
            .get();
    assertEquals("powell", clean.getHits().getAt(0).getId());

    // A template of only unrecognizable photos is unrecognizable; with a clean photo it finds the
    // person.
    Exception t =
        expectThrows(
            Exception.class,
            () ->
                client()
                    .prepareSearch("gate")
                    .setQuery(
                        QueryBuilders.wrapperQuery(
                            "{\"face\": {\"field\": \"face\", \"mode\": \"aligned\", \"images\": [\""
                                + image
                                + "\", \""
                                + image
                                + "\"]}}"))
                    .get());
    assertEquals(400, org.opensearch.ExceptionsHelper.status(t).getStatus());
    ByteArrayOutputStream alignedClean = new ByteArrayOutputStream();
    ImageIO.write(
        encoder
            .encode(Photos.lfw("Colin_Powell", 4), EncodeMode.DETECT, 1)
            .get(0)
            .alignedFace()
            .toBufferedImage(),
        "png",
        alignedClean);
    SearchResponse template =
        client()
            .prepareSearch("gate")
            .setQuery(
                QueryBuilders.wrapperQuery(
                    "{\"face\": {\"field\": \"face\", \"mode\": \"aligned\", \"images\": [\""
                        + image
                        + "\", \""
                        + Photos.base64(alignedClean.toByteArray())
                        + "\"]}}"))
            .get();
    assertEquals("powell", template.getHits().getAt(0).getId());
  }

  public void testImageLimitsApplyAndCanBeChangedOnALiveCluster() {
    pipeline("limits", "");
    index("limits", "\"face\": {\"type\": \"face\"}");
    client()
        .admin()
        .cluster()
        .prepareUpdateSettings()
        .setTransientSettings(Settings.builder().put("plugins.face.image.max_bytes", "1kb"))
        .get();
    try {
      Exception e =
          expectThrows(
              Exception.class,
              () ->
                  client()
                      .prepareIndex("limits")
                      .setPipeline("limits")
                      .setSource(doc("x", photo(Photos.lfw("Tony_Blair", 3))), XContentType.JSON)
                      .get());
      assertTrue(e.getMessage(), e.getMessage().contains("1024"));
      assertEquals(400, org.opensearch.ExceptionsHelper.status(e).getStatus());
    } finally {
      client()
          .admin()
          .cluster()
          .prepareUpdateSettings()
          .setTransientSettings(Settings.builder().putNull("plugins.face.image.max_bytes"))
          .get();
    }
    client()
        .prepareIndex("limits")
        .setPipeline("limits")
        .setSource(doc("x", photo(Photos.lfw("Tony_Blair", 3))), XContentType.JSON)
        .get();
  }

  public void testAllFacesOfAGroupPhotoGoToANestedField() throws IOException {
    pipeline("group", ", \"faces\": \"all\", \"target_field\": \"faces\"");
    client()
        .admin()
        .indices()
        .prepareCreate("groups")
        .setMapping(
            "{\"_source\": {\"excludes\": [\"faces.face.patches\"]}, \"properties\": {\"faces\": {\"type\": \"nested\", \"properties\": "
                + "{\"face\": {\"type\": \"face\"}}}}}")
        .get();
    byte[] group = sideBySide(Photos.lfw("Tony_Blair", 1), Photos.lfw("Colin_Powell", 1));
    client()
        .prepareIndex("groups")
        .setId("g")
        .setPipeline("group")
        .setRefreshPolicy("true")
        .setSource("{\"photo\": \"" + Photos.base64(group) + "\"}", XContentType.JSON)
        .get();
    List<?> faces =
        (List<?>) client().prepareGet("groups", "g").get().getSourceAsMap().get("faces");
    assertTrue("faces found: " + faces.size(), faces.size() >= 2);
    String query = Photos.base64(Photos.lfw("Colin_Powell", 2));
    SearchResponse response =
        client()
            .prepareSearch("groups")
            .setQuery(
                QueryBuilders.wrapperQuery(
                    "{\"nested\": {\"path\": \"faces\", \"query\": {\"face\": {\"field\": \"faces.face\", \"image\": \""
                        + query
                        + "\", \"k\": 3}},"
                        + " \"score_mode\": \"max\", \"inner_hits\": {\"_source\": false}}}"))
            .get();
    assertEquals("the photo comes back once", 1, response.getHits().getHits().length);
    SearchHit best = response.getHits().getAt(0).getInnerHits().get("faces").getAt(0);
    // The nested face matching Colin Powell is the right half of the picture.
    Map<String, Object> source = client().prepareGet("groups", "g").get().getSourceAsMap();
    Map<String, Object> matched =
        (Map<String, Object>)
            ((Map<String, Object>)
                    ((List<?>) source.get("faces")).get(best.getNestedIdentity().getOffset()))
                .get("face");
    double x = ((Number) ((List<?>) matched.get("box")).get(0)).doubleValue();
    assertTrue("matched face at x=" + x, x >= 250);
  }

  private static byte[] sideBySide(byte[] left, byte[] right) throws IOException {
    BufferedImage a = ImageIO.read(new ByteArrayInputStream(left));
    BufferedImage b = ImageIO.read(new ByteArrayInputStream(right));
    BufferedImage both =
        new BufferedImage(
            a.getWidth() + b.getWidth(),
            Math.max(a.getHeight(), b.getHeight()),
            BufferedImage.TYPE_INT_RGB);
    both.getGraphics().drawImage(a, 0, 0, null);
    both.getGraphics().drawImage(b, a.getWidth(), 0, null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(both, "jpg", out);
    return out.toByteArray();
  }

  private FaceSearchPlugin plugin() {
    return getInstanceFromNode(PluginsService.class).filterPlugins(FaceSearchPlugin.class).get(0);
  }
}
