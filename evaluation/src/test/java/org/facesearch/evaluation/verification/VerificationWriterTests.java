package org.facesearch.evaluation.verification;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.facesearch.model.PackDescriptor;
import org.facesearch.verification.VerificationCalibration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class VerificationWriterTests {

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static final VerificationCalibration CAL =
      new VerificationCalibration(
          List.of(
              new VerificationCalibration.Point(1e-2, 0.2493, 0.008332),
              new VerificationCalibration.Point(5e-3, 0.2786, 0.0114),
              new VerificationCalibration.Point(1e-6, 0.5463, 0.2)),
          "made by a test, with \"quotes\", {braces} and [brackets]");

  private static String committed() throws IOException {
    return Files.readString(
        Path.of("../encoder/src/main/model-packs/default/pack.json"), StandardCharsets.UTF_8);
  }

  @Test
  public void replacesTheSectionAndKeepsTheRestByteForByte() throws IOException {
    String json = committed();
    Path file = tmp.newFile("pack.json").toPath();
    Files.writeString(file, json);
    VerificationWriter.write(file, CAL);
    String written = Files.readString(file);
    assertEquals(
        CAL, PackDescriptor.parse(written.getBytes(StandardCharsets.UTF_8)).verification());
    int from = json.indexOf("\"verification\"");
    int to = json.indexOf("\"recognizability\"");
    assertEquals(json.substring(0, from), written.substring(0, from));
    assertTrue(written.endsWith(json.substring(to)));
    // Written again, it is the same file.
    VerificationWriter.write(file, CAL);
    assertEquals(written, Files.readString(file));
  }

  @Test
  public void addsTheSectionBeforeRecognizabilityOrAtTheEnd() throws IOException {
    String json = committed();
    int from = json.indexOf("\"verification\"");
    int to = json.indexOf("\"recognizability\"");
    String without = json.substring(0, from) + json.substring(to);
    String added = VerificationWriter.withSection(without, CAL);
    assertEquals(CAL, PackDescriptor.parse(added.getBytes(StandardCharsets.UTF_8)).verification());
    assertTrue(added.indexOf("\"verification\"") < added.indexOf("\"recognizability\""));

    String bare = json.substring(0, json.lastIndexOf(",", from)) + "\n}\n"; // neither section
    String appended = VerificationWriter.withSection(bare, CAL);
    PackDescriptor d = PackDescriptor.parse(appended.getBytes(StandardCharsets.UTF_8));
    assertEquals(CAL, d.verification());
    assertEquals(null, d.recognizability());
  }
}
