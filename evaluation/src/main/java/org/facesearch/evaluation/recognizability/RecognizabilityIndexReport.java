package org.facesearch.evaluation.recognizability;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.facesearch.encoder.EncoderOptions;
import org.facesearch.encoder.FaceEncoder;
import org.facesearch.evaluation.Args;
import org.facesearch.evaluation.Inputs;
import org.facesearch.evaluation.Lfw;
import org.facesearch.image.RgbImage;
import org.facesearch.model.ModelPack;
import org.facesearch.model.PackDescriptor;
import org.facesearch.recognizability.Degradations;

/**
 * The Recognizability Index components (docs/algorithms.md section 6) of a labelled set: for every
 * face, {@code d_P} (to its identity's prototype), {@code d_N} (to the nearest other prototype) and
 * {@code d_UI} (to the pack's UI centroid), for the clean faces and for the same faces degraded.
 * Prototypes are the mean unit embeddings of each identity's clean faces (a clean face is part of
 * its own prototype). The components are reported side by side; no closed-form index is computed.
 *
 * <pre>
 * evaluation/run recognizability-index                # LFW folds 6-10, people with >= 2 photos
 * evaluation/run recognizability-index --dir PHOTOS   # one folder per identity
 *     [--csv components.csv]                          # one row per face and set
 *     [--pack NAME]                                   # another pack under the model root
 * </pre>
 */
public final class RecognizabilityIndexReport {
  private RecognizabilityIndexReport() {}

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv, Set.of("dir", "csv", "pack"));
    String dirArg = args.stringOrNull("dir");
    String csvArg = args.stringOrNull("csv");
    Path dir = dirArg == null ? null : Path.of(dirArg);
    Path csv = csvArg == null ? null : Path.of(csvArg);
    ModelPack pack = Inputs.pack(args.string("pack", "default"));
    PackDescriptor.Recognizability calibration = pack.descriptor().recognizability();
    if (calibration == null || calibration.uiCentroid() == null) {
      throw new IllegalStateException("pack " + pack + " ships no UI centroid");
    }
    List<Path> images;
    String source;
    if (dir == null) {
      Lfw lfw = Lfw.open();
      images = lfw.imagesOf(LfwFaces.people(lfw.pairs(), false));
      source =
          "LFW report half (people of pairs.txt folds " + (LfwFaces.CALIBRATION_FOLDS + 1) + "-10)";
    } else {
      images = new ArrayList<>();
      try (Stream<Path> folders = Files.list(dir)) {
        for (Path folder : folders.filter(Files::isDirectory).sorted().toList()) {
          try (Stream<Path> files = Files.list(folder)) {
            images.addAll(files.filter(Files::isRegularFile).sorted().toList());
          }
        }
      }
      source = dir.toString();
    }
    try (FaceEncoder encoder =
        FaceEncoder.open(pack, EncoderOptions.defaults().withThreads(Inputs.cores()))) {
      Map<Path, LfwFaces.Face> encoded = LfwFaces.encode(encoder, images);
      // Identities with at least 2 faces, so that a prototype is more than the face itself.
      Map<String, Integer> counts = new LinkedHashMap<>();
      for (LfwFaces.Face f : encoded.values()) {
        counts.merge(f.person(), 1, Integer::sum);
      }
      List<LfwFaces.Face> faces =
          encoded.values().stream().filter(f -> counts.get(f.person()) >= 2).toList();
      Set<String> identities = new LinkedHashSet<>();
      faces.forEach(f -> identities.add(f.person()));
      System.out.printf(
          Locale.ROOT,
          "%s: %d faces of %d identities with >= 2 faces%n",
          source,
          faces.size(),
          identities.size());
      List<String> labels = faces.stream().map(LfwFaces.Face::person).toList();
      RecognizabilityIndex index =
          RecognizabilityIndex.of(
              faces.stream().map(LfwFaces.Face::embedding).toList(),
              labels,
              calibration.uiCentroid());

      Map<String, UnaryOperator<RgbImage>> sets = new LinkedHashMap<>();
      sets.put("clean", null);
      sets.put("24x24", f -> Degradations.downUp(f, 24));
      sets.put("16x16", f -> Degradations.downUp(f, 16));
      sets.put("blurred", f -> Degradations.gaussianBlur(f, Evidence.BLUR_SIGMA));
      sets.put("upper half occluded", f -> DegradationRecipes.halfOccluded(f, true));
      Map<String, double[][]> components = new LinkedHashMap<>();
      for (var s : sets.entrySet()) {
        List<float[]> emb =
            s.getValue() == null
                ? faces.stream().map(LfwFaces.Face::embedding).toList()
                : LfwFaces.embed(
                    encoder,
                    faces.size(),
                    i -> s.getValue().apply(faces.get(i).aligned()),
                    Inputs.cores());
        double[][] c = new double[3][faces.size()];
        for (int i = 0; i < faces.size(); i++) {
          RecognizabilityIndex.Components x = index.components(emb.get(i), labels.get(i));
          c[0][i] = x.dP();
          c[1][i] = x.dN();
          c[2][i] = x.dUI();
        }
        components.put(s.getKey(), c);
      }

      System.out.println(
          "\n| faces | d_P mean (5th / 50th / 95th pct) | d_N mean (5th / 50th / 95th) | d_UI mean (5th / 50th / 95th) | d_P < d_N |");
      System.out.println("| --- | --- | --- | --- | --- |");
      for (var e : components.entrySet()) {
        double[][] c = e.getValue();
        int own = 0;
        for (int i = 0; i < faces.size(); i++) {
          own += c[0][i] < c[1][i] ? 1 : 0;
        }
        System.out.printf(
            Locale.ROOT,
            "| %s | %s | %s | %s | %.1f%% |%n",
            e.getKey(),
            cell(c[0]),
            cell(c[1]),
            cell(c[2]),
            100.0 * own / faces.size());
      }
      System.out.println(
          "\nAUC of each component at telling clean faces from degraded copies (easy = small d_P, large d_N, large d_UI):");
      System.out.println("| degraded set | -d_P | d_N | d_UI | d_N - d_P |");
      System.out.println("| --- | --- | --- | --- | --- |");
      double[][] clean = components.get("clean");
      for (var e : components.entrySet()) {
        if (e.getKey().equals("clean")) {
          continue;
        }
        double[][] c = e.getValue();
        System.out.printf(
            Locale.ROOT,
            "| %s | %.4f | %.4f | %.4f | %.4f |%n",
            e.getKey(),
            Stats.auc(neg(clean[0]), neg(c[0])),
            Stats.auc(clean[1], c[1]),
            Stats.auc(clean[2], c[2]),
            Stats.auc(margin(clean), margin(c)));
      }
      if (csv != null) {
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
          w.write("image,identity,set,d_p,d_n,d_ui\n");
          for (var e : components.entrySet()) {
            for (int i = 0; i < faces.size(); i++) {
              w.write(
                  String.format(
                      Locale.ROOT,
                      "%s,%s,%s,%.6f,%.6f,%.6f%n",
                      faces.get(i).path(),
                      labels.get(i),
                      e.getKey(),
                      e.getValue()[0][i],
                      e.getValue()[1][i],
                      e.getValue()[2][i]));
            }
          }
        }
        System.out.println("wrote " + csv);
      }
    }
  }

  private static String cell(double[] v) {
    Stats.Summary s = Stats.summary(v);
    return String.format(
        Locale.ROOT, "%.3f (%.3f / %.3f / %.3f)", s.mean(), s.p5(), s.p50(), s.p95());
  }

  private static double[] neg(double[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = -v[i];
    }
    return out;
  }

  private static double[] margin(double[][] c) {
    double[] out = new double[c[0].length];
    for (int i = 0; i < out.length; i++) {
      out[i] = c[1][i] - c[0][i];
    }
    return out;
  }
}
