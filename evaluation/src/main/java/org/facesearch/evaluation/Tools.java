package org.facesearch.evaluation;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.facesearch.evaluation.identification.IdentificationBenchmark;
import org.facesearch.evaluation.identification.StageTwoReport;
import org.facesearch.evaluation.recognizability.Calibrate;
import org.facesearch.evaluation.recognizability.DegradationSheet;
import org.facesearch.evaluation.recognizability.Evidence;
import org.facesearch.evaluation.recognizability.RecognizabilityIndexReport;
import org.facesearch.evaluation.verification.AlignmentCheck;
import org.facesearch.evaluation.verification.CalibrateVerification;
import org.facesearch.evaluation.verification.LfwVerification;

/**
 * The one entry point of the evaluation suite ({@code evaluation/run}): {@code list} (or nothing)
 * prints every tool with a one-line description; {@code NAME [options]} runs one. Each tool's
 * options are {@code --name value} pairs and flags ({@link Args}), described in its javadoc and in
 * docs/.
 */
public final class Tools {
  private Tools() {}

  /** A tool's main method. */
  @FunctionalInterface
  interface Main {
    void run(String[] args) throws Exception;
  }

  /** One tool: its name on the command line, what it does, and its main method. */
  record Tool(String name, String description, Main main) {}

  static final List<Tool> TOOLS =
      List.of(
          new Tool(
              "lfw-verification",
              "LFW 10-fold verification on pairs.txt through the full pipeline: accuracy, AUC, TAR@FAR [--folds N] [--threads T]",
              LfwVerification::main),
          new Tool(
              "alignment-check",
              "how well alignment lands LFW faces on the template: re-detected landmarks vs template [--faces 1000] [--pad 56]",
              AlignmentCheck::main),
          new Tool(
              "identification",
              "two-stage identification on LFW per query version, stage 1 vs stage 2 settings; charts and docs section "
                  + "[--full] [--queries N] [--versions a,b] [--no-docs|--charts-only]",
              IdentificationBenchmark::main),
          new Tool(
              "stage-two-report",
              "the stage-2 settings (apc, uniform, covered-face options) side by side on the reporting identities "
                  + "[--queries N] [--split report|tune]",
              StageTwoReport::main),
          new Tool(
              "calibrate",
              "chooses a pack's UI centroid and ERS threshold on LFW folds 1-5; writes the ERC chart and, with --write-pack FILE, "
                  + "the pack descriptor [--pack NAME]",
              Calibrate::main),
          new Tool(
              "calibrate-verification",
              "a pack's cosine thresholds at false-match rates 1e-2 to 1e-6 on all LFW pairs, people split in "
                  + "calibration and held-out halves; with --write-pack FILE, the pack descriptor [--pack NAME]",
              CalibrateVerification::main),
          new Tool(
              "evidence",
              "ERS evidence on LFW folds 6-10: distributions, ERC, quality gate, ERS-weighted templates; writes two charts "
                  + "[--pack NAME] [--docs DIR]",
              Evidence::main),
          new Tool(
              "recognizability-index",
              "Recognizability Index components d_P, d_N, d_UI of clean and degraded faces [--dir PHOTOS] [--csv FILE]",
              RecognizabilityIndexReport::main),
          new Tool(
              "degradation-sheet",
              "contact sheet of the query versions (docs/images/eval-query-versions.png) or, with --set recognizability "
                  + "--out FILE, of the ERS recipes on LFW faces",
              DegradationSheet::main));

  /**
   * Runs the tool the arguments name. A bad command line (an unknown tool or option, a value of the
   * wrong kind) ends with its message and status 2; any other failure with its stack trace.
   */
  public static void main(String[] args) throws Exception {
    try {
      run(args);
    } catch (IllegalArgumentException e) {
      System.err.println("evaluation/run: " + e.getMessage());
      System.exit(2);
    }
  }

  static void run(String[] args) throws Exception {
    if (args.length == 0 || args[0].equals("list")) {
      System.out.print(list());
      return;
    }
    Tool tool = find(args[0]);
    tool.main().run(Arrays.copyOfRange(args, 1, args.length));
  }

  /** One line per tool: its name and description. */
  static String list() {
    StringBuilder out = new StringBuilder("evaluation/run NAME [options]; the tools:\n");
    for (Tool t : TOOLS) {
      out.append(String.format(Locale.ROOT, "  %-22s %s%n", t.name(), t.description()));
    }
    return out.toString();
  }

  static Tool find(String name) {
    for (Tool t : TOOLS) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "no evaluation tool ["
            + name
            + "]; known: "
            + TOOLS.stream().map(Tool::name).toList()
            + " (evaluation/run list describes them)");
  }
}
