package org.facesearch.field.source;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.core.common.bytes.BytesArray;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.test.OpenSearchTestCase;

/** Removing faces' vectors from a source and finding the faces to put them back into, by path. */
public class FaceSourceTests extends OpenSearchTestCase {

  private static Map<String, Object> map(String json) {
    return XContentHelper.convertToMap(new BytesArray(json), true, XContentType.JSON).v2();
  }

  public void testStripsEmbeddingAndPatchesAndKeepsTheSummary() throws IOException {
    BytesReference source =
        new BytesArray(
            "{\"name\": \"a\", \"face\": {\"embedding\": [1, 2], \"patches\": \"AAAA\", \"ers\": 0.5, \"box\": [1, 2, 3, 4]}}");
    BytesReference stripped = FaceSource.strip(source, List.of("face"));
    assertEquals(
        map("{\"name\": \"a\", \"face\": {\"ers\": 0.5, \"box\": [1, 2, 3, 4]}}"),
        map(stripped.utf8ToString()));
  }

  public void testABareEmbeddingBecomesAnEmptyFace() throws IOException {
    BytesReference stripped =
        FaceSource.strip(new BytesArray("{\"face\": [1, 2, 3]}"), List.of("face"));
    assertEquals(map("{\"face\": {}}"), map(stripped.utf8ToString()));
  }

  public void testUnchangedSourceIsTheSameInstance() throws IOException {
    BytesReference source = new BytesArray("{\"name\": \"a\", \"face\": {\"ers\": 0.5}}");
    assertSame(source, FaceSource.strip(source, List.of("face")));
    assertSame(source, FaceSource.strip(source, List.of()));
  }

  public void testNestedFacesAreFoundInDocumentOrder() {
    Map<String, Object> source =
        map(
            "{\"faces\": [{\"face\": {\"embedding\": [1], \"n\": 0}}, {\"note\": \"no face\"}, "
                + "{\"face\": {\"patches\": \"A\", \"n\": 1}}, {\"face\": [3, 4]}], \"other\": {\"face\": {\"embedding\": [9]}}}");
    assertTrue(FaceSource.strip(source, List.of("faces.face")));
    List<Map<String, Object>> faces = FaceSource.facesAt(source, "faces.face");
    assertEquals(3, faces.size());
    assertEquals(Map.of("n", 0), faces.get(0));
    assertEquals(Map.of("n", 1), faces.get(1));
    assertEquals(Map.of(), faces.get(2));
    // A path not named is left alone.
    assertEquals(
        List.of(9), ((Map<?, ?>) ((Map<?, ?>) source.get("other")).get("face")).get("embedding"));
  }

  public void testObjectArraysAboveAFaceAreWalked() {
    Map<String, Object> source = new LinkedHashMap<>();
    List<Object> people = new ArrayList<>();
    people.add(
        new LinkedHashMap<>(
            Map.of("face", new LinkedHashMap<>(Map.of("embedding", List.of(1), "ers", 0.1)))));
    people.add(
        new LinkedHashMap<>(
            Map.of("face", new LinkedHashMap<>(Map.of("embedding", List.of(2), "ers", 0.2)))));
    source.put("people", people);
    assertTrue(FaceSource.strip(source, List.of("people.face")));
    assertEquals(
        List.of(Map.of("ers", 0.1), Map.of("ers", 0.2)), FaceSource.facesAt(source, "people.face"));
  }
}
