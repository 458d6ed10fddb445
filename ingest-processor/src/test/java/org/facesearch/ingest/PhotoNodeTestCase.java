package org.facesearch.ingest;

import org.facesearch.testing.Photos;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.core.common.bytes.BytesArray;
import org.opensearch.test.OpenSearchSingleNodeTestCase;

/**
 * An in-JVM node for tests that run photos through a {@code face_embedding} pipeline into a {@code
 * face} field: one node (and one model load) per class, and helpers to make pipelines, indices and
 * documents.
 */
public abstract class PhotoNodeTestCase extends OpenSearchSingleNodeTestCase {

  @Override
  protected boolean resetNodeAfterTest() {
    return false; // one node (and one model load) for the whole class
  }

  protected void pipeline(String id, String options) {
    String target = options.contains("target_field") ? "" : ", \"target_field\": \"face\"";
    client()
        .admin()
        .cluster()
        .preparePutPipeline(
            id,
            new BytesArray(
                "{\"processors\": [{\"face_embedding\": {\"field\": \"photo\""
                    + target
                    + options
                    + "}}]}"),
            XContentType.JSON)
        .get();
  }

  protected void index(String name, String faceMapping) {
    if (!client().admin().indices().prepareExists(name).get().isExists()) {
      client()
          .admin()
          .indices()
          .prepareCreate(name)
          .setMapping(
              "{\"_source\": {\"excludes\": [\"*.patches\"]}, \"properties\": {"
                  + faceMapping
                  + ", \"name\": {\"type\": \"keyword\"}}}")
          .get();
    }
  }

  protected static String doc(String name, String photoJson) {
    return "{\"name\": \""
        + name
        + "\""
        + (photoJson == null ? "" : ", \"photo\": " + photoJson)
        + "}";
  }

  protected static String photo(byte[] bytes) {
    return "\"" + Photos.base64(bytes) + "\"";
  }
}
