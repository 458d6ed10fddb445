package org.facesearch.plugin.compare;

import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import org.apache.lucene.util.VectorUtil;
import org.facesearch.patches.PatchEncoding;
import org.facesearch.patches.PatchMap;
import org.facesearch.plugin.FaceSearchPlugin;
import org.opensearch.ExceptionsHelper;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.XContentFactory;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.plugins.Plugin;
import org.opensearch.test.OpenSearchSingleNodeTestCase;

/**
 * Reading a stored face for {@code _compare} on an in-JVM node: the embedding and the patch map
 * come back as the field stores them (from the vector field and doc values, with {@code _source}
 * keeping neither), with the model that made the face; a missing document is a 404, a field that is
 * not a face field or a document without a face a 400.
 */
public class StoredFaceTests extends OpenSearchSingleNodeTestCase {

  @Override
  protected Collection<Class<? extends Plugin>> getPlugins() {
    return List.of(FaceSearchPlugin.class);
  }

  public void testReadsTheStoredFace() throws Exception {
    client()
        .admin()
        .indices()
        .prepareCreate("gallery")
        .setSettings(Settings.builder().put("index.number_of_shards", 3))
        .setMapping(
            "{\"_source\": {\"excludes\": [\"face.embedding\", \"face.patches\"]}, \"properties\": {\"face\": {\"type\": \"face\","
                + " \"dims\": 8, \"patch_dims\": 4, \"patch_grid\": [7, 7]}, \"name\": {\"type\": \"keyword\"}}}")
        .get();
    Random random = new Random(random().nextLong());
    float[] embedding = new float[8];
    for (int i = 0; i < embedding.length; i++) {
      embedding[i] = (float) random.nextGaussian() * 3; // stored at unit length
    }
    float[] chw = new float[4 * 7 * 7];
    for (int i = 0; i < chw.length; i++) {
      chw[i] = (float) random.nextGaussian();
    }
    byte[] patches = PatchEncoding.FLOAT16.encode(PatchMap.fromChannelMajor(chw, 4, 7, 7));
    XContentBuilder doc =
        XContentFactory.jsonBuilder()
            .startObject()
            .startObject("face")
            .array("embedding", embedding)
            .field("patches", Base64.getEncoder().encodeToString(patches))
            .field("ers", 0.9f)
            .field("model", "default@0.0.1")
            .endObject()
            .field("name", "x")
            .endObject();
    client().prepareIndex("gallery").setId("with-face").setRouting("r1").setSource(doc).get();
    client()
        .prepareIndex("gallery")
        .setId("no-face")
        .setSource(XContentFactory.jsonBuilder().startObject().field("name", "y").endObject())
        .get();
    client().admin().indices().prepareRefresh("gallery").get();

    StoredFaceResponse stored =
        client()
            .execute(
                StoredFaceAction.INSTANCE,
                new StoredFaceRequest("gallery", "with-face", "face", "r1"))
            .get();
    assertArrayEquals(VectorUtil.l2normalize(embedding.clone()), stored.embedding(), 1e-6f);
    PatchMap expected = PatchEncoding.decode(patches); // float16 as stored, read back exactly
    PatchMap read = PatchEncoding.decode(stored.patches());
    assertArrayEquals(expected.cells(), read.cells(), 0f);
    assertArrayEquals(expected.norms(), read.norms(), 0f);
    assertEquals("default@0.0.1", stored.model());

    Exception missing =
        expectThrows(
            Exception.class,
            () ->
                client()
                    .execute(
                        StoredFaceAction.INSTANCE,
                        new StoredFaceRequest("gallery", "nobody", "face", null))
                    .actionGet());
    assertEquals(404, ExceptionsHelper.status(missing).getStatus());
    assertTrue(
        missing.getMessage(),
        ExceptionsHelper.unwrapCause(missing)
            .getMessage()
            .contains("document [nobody] not found in index [gallery]"));
    Exception notFace =
        expectThrows(
            Exception.class,
            () ->
                client()
                    .execute(
                        StoredFaceAction.INSTANCE,
                        new StoredFaceRequest("gallery", "with-face", "name", "r1"))
                    .actionGet());
    assertEquals(400, ExceptionsHelper.status(notFace).getStatus());
    assertTrue(
        notFace.getMessage(),
        notFace
            .getMessage()
            .contains("field [name] of index [gallery] is of type [keyword], not [face]"));
    Exception noFace =
        expectThrows(
            Exception.class,
            () ->
                client()
                    .execute(
                        StoredFaceAction.INSTANCE,
                        new StoredFaceRequest("gallery", "no-face", "face", null))
                    .actionGet());
    assertEquals(400, ExceptionsHelper.status(noFace).getStatus());
    assertTrue(
        noFace.getMessage(),
        noFace
            .getMessage()
            .contains("document [no-face] of index [gallery] has no face in [face]"));
  }
}
