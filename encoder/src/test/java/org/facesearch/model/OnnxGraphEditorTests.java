package org.facesearch.model;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import java.util.ArrayList;
import java.util.List;
import org.facesearch.testing.TestData;
import org.junit.Test;

public class OnnxGraphEditorTests {

  /**
   * Graph output names, read with the ONNX field numbers (model.graph = 7, graph.output = 12,
   * value_info.name = 1).
   */
  private static List<String> outputs(byte[] model) throws Exception {
    UnknownFieldSet graph =
        UnknownFieldSet.parseFrom(
            UnknownFieldSet.parseFrom(model).getField(7).getLengthDelimitedList().get(0));
    List<String> names = new ArrayList<>();
    for (ByteString vi : graph.getField(12).getLengthDelimitedList()) {
      names.add(
          UnknownFieldSet.parseFrom(vi).getField(1).getLengthDelimitedList().get(0).toStringUtf8());
    }
    return names;
  }

  @Test
  public void appendsTheTensorAndKeepsEverythingElse() throws Exception {
    byte[] model = TestData.defaultPack().readVerified("fr_feature.onnx");
    byte[] edited = OnnxGraphEditor.edit(model, List.of("507"), false);
    assertEquals(List.of("output"), outputs(model));
    assertEquals(List.of("output", "507"), outputs(edited));
    // Weights untouched: the edit only adds a few bytes.
    assertTrue(edited.length - model.length < 64);
    // Naming an existing output again changes nothing.
    assertEquals(
        List.of("output", "507"),
        outputs(OnnxGraphEditor.edit(edited, List.of("507", "output"), false)));
  }

  @Test
  public void refusesUnknownTensorsAndNonModels() throws Exception {
    byte[] model = TestData.defaultPack().readVerified("fr_feature.onnx");
    try {
      OnnxGraphEditor.edit(model, List.of("nope"), false);
      throw new AssertionError("added a tensor no node produces");
    } catch (IllegalArgumentException e) {
      assertThat(
          e.getMessage(), containsString("no node of the graph produces a tensor named [nope]"));
    }
    try {
      OnnxGraphEditor.edit(
          "not a model at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
          List.of("507"),
          false);
      throw new AssertionError("edited text");
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage(), containsString("not an ONNX model"));
    }
  }
}
