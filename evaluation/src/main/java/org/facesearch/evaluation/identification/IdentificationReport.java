package org.facesearch.evaluation.identification;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.facesearch.evaluation.chart.BarChart;

/** Markdown tables and PNG charts of an identification run. */
final class IdentificationReport {
  private final IdentificationResults results;
  private final List<String> methods; // stage 1, each setting at the default alpha, ceiling

  IdentificationReport(IdentificationResults results) {
    this.results = results;
    List<String> m = new ArrayList<>();
    m.add(IdentificationExperiment.STAGE_ONE);
    m.addAll(results.configLabels());
    m.add(IdentificationExperiment.CEILING);
    this.methods = List.copyOf(m);
  }

  /** The three metric tables, own photo excluded. */
  String metricTables() {
    StringBuilder out = new StringBuilder();
    out.append(metricTable("P@1 (%)", false, MetricTotals::precisionAt1));
    out.append('\n').append(metricTable("R-Precision (%)", false, MetricTotals::rPrecision));
    out.append('\n').append(metricTable("MAP@R (%)", false, MetricTotals::mapAtR));
    return out.toString();
  }

  /**
   * P@1 and MAP@R with the query's own unaltered photo kept in the gallery (changed versions only).
   */
  String ownKeptTables() {
    return metricTable("P@1 (%), own photo kept", true, MetricTotals::precisionAt1)
        + '\n'
        + metricTable("MAP@R (%), own photo kept", true, MetricTotals::mapAtR);
  }

  private String metricTable(String title, boolean ownKept, ToDoubleFunction<MetricTotals> metric) {
    StringBuilder out = new StringBuilder();
    out.append("| ").append(title).append(" | ");
    out.append(String.join(" | ", methods.stream().map(IdentificationReport::header).toList()))
        .append(" |\n");
    out.append("| --- ".repeat(methods.size() + 1)).append("|\n");
    for (QueryVersion v : results.versions()) {
      if (ownKept && !results.hasOwnKept(v)) {
        continue;
      }
      out.append("| ").append(v.label());
      for (String m : methods) {
        MetricTotals t = ownKept ? results.ownKept(v, m) : results.excluded(v, m);
        out.append(" | ").append(fmt(metric.applyAsDouble(t)));
      }
      out.append(" |\n");
    }
    return out.toString();
  }

  private static String header(String method) {
    return switch (method) {
      case IdentificationExperiment.STAGE_ONE -> "stage 1";
      case IdentificationExperiment.CEILING -> "ceiling (top 100)";
      default -> "2 stages, " + method;
    };
  }

  /** Queries whose first hit stage 2 made right (+) or wrong (-), per setting. */
  String flipTable() {
    StringBuilder out = new StringBuilder("| P@1 changes vs stage 1 (queries) | ");
    out.append(String.join(" | ", results.configLabels())).append(" |\n");
    out.append("| --- ".repeat(results.configLabels().size() + 1)).append("|\n");
    for (QueryVersion v : results.versions()) {
      out.append("| ").append(v.label());
      for (int c = 0; c < results.configLabels().size(); c++) {
        out.append(
            String.format(Locale.ROOT, " | +%d / -%d", results.gained(v, c), results.lost(v, c)));
      }
      out.append(" |\n");
    }
    return out.toString();
  }

  /** P@1 of each setting at every alpha the run reports (0 = stage 1). */
  String alphaTable(int config) {
    String label = results.configLabels().get(config);
    List<Double> alphas = new ArrayList<>();
    alphas.add(IdentificationExperiment.ALPHA);
    for (double a : results.alphaSweep()) {
      alphas.add(a);
    }
    alphas.sort(Double::compare);
    StringBuilder out = new StringBuilder("| P@1 (%), " + label + ", by alpha | 0 (stage 1)");
    for (double a : alphas) {
      out.append(" | ").append(a == 1.0 ? "1 (EMD only)" : String.format(Locale.ROOT, "%.1f", a));
    }
    out.append(" |\n").append("| --- ".repeat(alphas.size() + 2)).append("|\n");
    for (QueryVersion v : results.versions()) {
      out.append("| ")
          .append(v.label())
          .append(" | ")
          .append(fmt(results.excluded(v, IdentificationExperiment.STAGE_ONE).precisionAt1()));
      for (double a : alphas) {
        String method = a == IdentificationExperiment.ALPHA ? label : label + " alpha=" + a;
        out.append(" | ").append(fmt(results.excluded(v, method).precisionAt1()));
      }
      out.append(" |\n");
    }
    return out.toString();
  }

  /** How Sinkhorn behaved on real face maps. */
  String costTable() {
    StringBuilder out =
        new StringBuilder(
            "| setting | mean Sinkhorn iterations | converged (tolerance 1e-4, at most 100 iterations) | weights fell back to uniform |\n");
    out.append("| --- | --- | --- | --- |\n");
    for (int c = 0; c < results.configLabels().size(); c++) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %.1f | %.2f%% | %d |%n",
              results.configLabels().get(c),
              results.meanIterations(c),
              100 * results.convergedFraction(c),
              results.fellBack(c)));
    }
    return out.toString();
  }

  /**
   * Writes {@code PREFIX-p1.png}, {@code PREFIX-mapr.png}, {@code PREFIX-delta.png} and {@code
   * PREFIX-ownkept-p1.png} into {@code dir}; returns their file names.
   */
  List<String> writeCharts(Path dir, String prefix, String subtitle) throws IOException {
    List<String> categories = results.versions().stream().map(QueryVersion::chartLabel).toList();
    List<String> shown = new ArrayList<>();
    shown.add(IdentificationExperiment.STAGE_ONE);
    for (String c : results.configLabels()) {
      if (c.startsWith("apc")) {
        shown.add(c);
      }
    }
    shown.add(IdentificationExperiment.CEILING);
    List<String> files = new ArrayList<>();
    files.add(
        chart(
            dir,
            prefix + "-p1.png",
            "P@1 by query version, own photo excluded (" + subtitle + ")",
            "P@1 (%)",
            categories,
            shown,
            MetricTotals::precisionAt1));
    files.add(
        chart(
            dir,
            prefix + "-mapr.png",
            "MAP@R by query version, own photo excluded (" + subtitle + ")",
            "MAP@R (%)",
            categories,
            shown,
            MetricTotals::mapAtR));
    List<QueryVersion> changed = results.versions().stream().filter(results::hasOwnKept).toList();
    if (!changed.isEmpty()) {
      List<BarChart.Series> series = new ArrayList<>();
      for (String m : shown) {
        double[] values = new double[changed.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = results.ownKept(changed.get(i), m).precisionAt1();
        }
        series.add(new BarChart.Series(header(m), values));
      }
      String file = prefix + "-ownkept-p1.png";
      new BarChart(
              "P@1 with the query's own unaltered photo kept in the gallery (" + subtitle + ")",
              "P@1 (%)",
              changed.stream().map(QueryVersion::chartLabel).toList(),
              series,
              0,
              100,
              "%.0f")
          .writePng(dir.resolve(file), 1100, 440);
      files.add(file);
    }

    List<BarChart.Series> deltas = new ArrayList<>();
    double lo = 0;
    double hi = 0;
    for (String c : results.configLabels()) {
      double[] values = new double[results.versions().size()];
      for (int i = 0; i < values.length; i++) {
        QueryVersion v = results.versions().get(i);
        values[i] =
            results.excluded(v, c).precisionAt1()
                - results.excluded(v, IdentificationExperiment.STAGE_ONE).precisionAt1();
        lo = Math.min(lo, values[i]);
        hi = Math.max(hi, values[i]);
      }
      deltas.add(new BarChart.Series(c, values));
    }
    double pad = Math.max(0.5, (hi - lo) * 0.1);
    String delta = prefix + "-delta.png";
    new BarChart(
            "P@1 change from stage 2 (points; alpha 0.7, k 100; " + subtitle + ")",
            "two stages - stage 1 (points)",
            categories,
            deltas,
            Math.floor(lo - pad),
            Math.ceil(hi + pad),
            null)
        .writePng(dir.resolve(delta), 1100, 440);
    files.add(delta);
    return files;
  }

  private String chart(
      Path dir,
      String file,
      String title,
      String yLabel,
      List<String> categories,
      List<String> shown,
      ToDoubleFunction<MetricTotals> metric)
      throws IOException {
    List<BarChart.Series> series = new ArrayList<>();
    for (String m : shown) {
      double[] values = new double[results.versions().size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = metric.applyAsDouble(results.excluded(results.versions().get(i), m));
      }
      series.add(new BarChart.Series(header(m), values));
    }
    new BarChart(title, yLabel, categories, series, 0, 100, "%.0f")
        .writePng(dir.resolve(file), 1100, 440);
    return file;
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
