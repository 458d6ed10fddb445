package org.facesearch.bench.node;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.facesearch.evaluation.Args;
import org.facesearch.evaluation.chart.LineChart;

/**
 * Draws the growth plot of docs/results/performance.md from the rows {@link GrowthBench} appended
 * to its {@code --out} file: median latency per query against the number of faces (a logarithmic
 * axis) for stage 1 of the {@code face} field and of the k-NN plugin and for both stages, on the
 * synthetic galleries, and the real-face gallery's points beside them. When a size was run more
 * than once, its last row counts.
 *
 * <pre>
 * benchmarks/run GrowthChart [--results benchmarks/target/growth.tsv] [--out docs/images/growth-latency.png]
 * </pre>
 */
public final class GrowthChart {
  private GrowthChart() {}

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv, Set.of("results", "out"));
    Path results = args.path("results", "benchmarks/target/growth.tsv");
    Path out = args.path("out", "docs/images/growth-latency.png");
    List<String> lines = Files.readAllLines(results, StandardCharsets.UTF_8);
    List<String> header = Arrays.asList(lines.get(0).split("\t"));
    if (!String.join("\t", header).equals(GrowthBench.HEADER)) {
      throw new IllegalArgumentException(results + " does not start with GrowthBench's header");
    }
    TreeMap<Long, String[]> synthetic = new TreeMap<>();
    TreeMap<Long, String[]> real = new TreeMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] row = line.split("\t", -1);
      (row[0].equals("real") ? real : synthetic).put(Long.parseLong(row[1]), row);
    }
    LineChart chart =
        new LineChart(
                "Median latency per query against gallery size (one node, one shard)",
                "faces in the gallery",
                "milliseconds (p50)")
            .log(true, false)
            .points()
            .legendLeft();
    add(chart, "face, stage 1", synthetic, header.indexOf("face_s1_p50_ms"), false);
    add(chart, "k-NN, stage 1", synthetic, header.indexOf("knn_s1_p50_ms"), false);
    add(chart, "face, stages 1+2", synthetic, header.indexOf("face_s2_p50_ms"), false);
    add(chart, "real, 1", real, header.indexOf("face_s1_p50_ms"), true);
    add(chart, "real, 1+2", real, header.indexOf("face_s2_p50_ms"), true);
    chart.write(out);
    System.out.println("wrote " + out);
  }

  /** One series from the rows that have a value in {@code column}. */
  private static void add(
      LineChart chart, String name, TreeMap<Long, String[]> rows, int column, boolean dashed) {
    List<double[]> points = new ArrayList<>();
    rows.forEach((faces, row) -> {
      if (!row[column].isEmpty()) {
        points.add(new double[] {faces, Double.parseDouble(row[column])});
      }
    });
    if (points.isEmpty()) {
      return;
    }
    double[] x = points.stream().mapToDouble(p -> p[0]).toArray();
    double[] y = points.stream().mapToDouble(p -> p[1]).toArray();
    if (dashed) {
      chart.dashedSeries(name, x, y);
    } else {
      chart.series(name, x, y);
    }
  }
}
