package org.facesearch.bench.node;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.facesearch.cli.Json;
import org.facesearch.cli.NodeClient;
import org.facesearch.evaluation.Args;
import org.facesearch.evaluation.Inputs;
import org.facesearch.evaluation.Lfw;

/**
 * Issue 4 on a real node: disk bytes per indexed face (steady state, one segment) for several
 * {@code face} mappings (float16 or int8 patches; the embedding in {@code _source} or not; the
 * default or the {@code best_compression} codec), and ingest throughput through {@code _bulk} with
 * the {@code face_embedding} pipeline next to the raw throughput of the same encoder on the same
 * photos.
 *
 * <p>Fairness on a small machine where the node, this JVM and other work share the cores: the raw
 * encoder runs in this JVM while the node is idle, with the node's {@code
 * plugins.face.inference.threads} and {@code batch_size}; bulk bodies are built before timing, so
 * during bulk runs this JVM only moves bytes; raw and bulk runs alternate (raw, bulk, raw, bulk,
 * ..., raw), and each bulk run is compared with the mean of the raw runs just before and after it,
 * so load from other programs that changes during the run affects both sides of each ratio alike.
 *
 * <pre>
 * benchmarks/node-bench.sh ingest [--photos 1200] [--clients 2] [--bulk-docs 100] [--warmup 300]
 * </pre>
 */
public final class IngestBench {
  /** One index mapping under test; {@code codec} null means the default {@code index.codec}. */
  private record Variant(
      String index,
      String label,
      String patchEncoding,
      List<String> sourceExcludes,
      String codec,
      int clients) {}

  private static final int DISK_VARIANTS = 4;

  private IngestBench() {}

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv, Set.of("home", "port", "photos", "clients", "bulk-docs", "warmup"));
    int count = args.positive("photos", 1200);
    int clients = args.positive("clients", 2);
    int bulkDocs = args.positive("bulk-docs", 100);
    int warmCount = args.positive("warmup", 300);
    Long pid = NodeConnection.pid(args);
    try (NodeClient node = NodeConnection.connect(args)) {
      int threads = Integer.parseInt(setting(node, "plugins.face.inference.threads"));
      int batch = Integer.parseInt(setting(node, "plugins.face.inference.batch_size"));
      List<Photos.Photo> all = Photos.pick(Lfw.open(), p -> true, 0, warmCount + count);
      List<Photos.Photo> warm = all.subList(0, warmCount);
      List<Photos.Photo> photos = all.subList(warmCount, all.size());
      long bytes = photos.stream().mapToLong(p -> p.bytes().length).sum();
      Log.line(
          "%d LFW photos (first photo of %d people; %.1f KiB JPEG on average), warm-up with %d other photos",
          photos.size(), photos.size(), bytes / 1024.0 / photos.size(), warm.size());
      Log.line(
          "node: plugins.face.inference.threads %d, batch_size %d, node.processors %s; bulk: %d photos a request, %d clients",
          threads, batch, setting(node, "node.processors"), bulkDocs, clients);
      List<byte[]> warmBytes = warm.stream().map(Photos.Photo::bytes).toList();
      List<byte[]> photoBytes = photos.stream().map(Photos.Photo::bytes).toList();
      List<byte[]> bodies = Gallery.bulkBodies(photos, bulkDocs, 0);

      // The first DISK_VARIANTS are measured on disk too; the last one only repeats the first with
      // one client.
      List<Variant> variants =
          List.of(
              new Variant(
                  "bench-ingest-f16",
                  "float16 patches, `_source` without patches",
                  "float16",
                  List.of("face.patches"),
                  null,
                  clients),
              new Variant(
                  "bench-ingest-i8",
                  "int8 patches, `_source` without patches",
                  "int8",
                  List.of("face.patches"),
                  null,
                  clients),
              new Variant(
                  "bench-ingest-i8-zstd",
                  "int8 patches, `_source` without patches, `index.codec: best_compression`",
                  "int8",
                  List.of("face.patches"),
                  "best_compression",
                  clients),
              new Variant(
                  "bench-ingest-i8-lean",
                  "int8 patches, `_source` without patches and embedding",
                  "int8",
                  List.of("face.patches", "face.embedding"),
                  null,
                  clients),
              new Variant(
                  "bench-ingest-f16-1client",
                  "float16 patches, `_source` without patches (1 client)",
                  "float16",
                  List.of("face.patches"),
                  null,
                  1));

      try (RawEncoder raw = new RawEncoder(Inputs.defaultPack(), threads, batch)) {
        raw.measure(warmBytes, bulkDocs);
        Gallery.createPipeline(node);
        Gallery.createIndex(node, "bench-ingest-warm", "float16", List.of("face.patches"));
        Gallery.Loaded warmLoad =
            Gallery.load(node, "bench-ingest-warm", Gallery.bulkBodies(warm, bulkDocs, 0), clients);
        warmLoad.answers().check("warm-up", 0.02);
        node.request("DELETE", "/bench-ingest-warm");
        Log.line(
            "warmed up: the encoder in this JVM and the node (%.1f faces/s) with %d photos each",
            warmLoad.facesPerSecond(), warm.size());

        List<RawEncoder.Rate> raws = new ArrayList<>();
        List<Double> rawCpu = new ArrayList<>(); // CPU seconds of this JVM per raw run
        List<Gallery.Loaded> loads = new ArrayList<>();
        List<Double> nodeCpu =
            new ArrayList<>(); // CPU seconds of the node per bulk run, its refresh and flush
        // included
        List<IndexStore.Stats> fresh = new ArrayList<>();
        measureRaw(raw, photoBytes, bulkDocs, raws, rawCpu);
        for (Variant v : variants) {
          Gallery.createIndex(node, v.index(), v.patchEncoding(), v.sourceExcludes(), v.codec());
          long cpu0 = CpuClock.of(pid);
          Gallery.Loaded loaded = Gallery.load(node, v.index(), bodies, v.clients());
          fresh.add(IndexStore.current(node, v.index()));
          nodeCpu.add((CpuClock.of(pid) - cpu0) / 1e9);
          loaded.answers().check(v.index(), 0.02);
          loads.add(loaded);
          Log.line(
              "bulk into %s, %d client(s): %d faces in %.2f s, %.1f faces/s, node CPU %.1f ms per face",
              v.index(),
              v.clients(),
              loaded.answers().indexed(),
              loaded.seconds(),
              loaded.facesPerSecond(),
              nodeCpu.getLast() * 1000 / loaded.answers().indexed());
          measureRaw(raw, photoBytes, bulkDocs, raws, rawCpu);
        }
        RawEncoder.Rate allCores;
        try (RawEncoder wide = new RawEncoder(Inputs.defaultPack(), Inputs.cores(), batch)) {
          wide.measure(warmBytes, bulkDocs);
          allCores = wide.measure(photoBytes, bulkDocs);
        }
        Log.line(
            "raw on all %d cores (reference): %.1f faces/s",
            allCores.threads(), allCores.facesPerSecond());

        // Steady-state disk: once the retention leases no longer hold the indexed operations,
        // merge.
        List<IndexStore.Stats> merged = new ArrayList<>();
        for (Variant v : variants.subList(0, DISK_VARIANTS)) {
          merged.add(IndexStore.forceMerge(node, v.index(), 120));
          Log.line("%s force-merged to 1 segment", v.index());
        }
        for (Variant v : variants) {
          node.request("DELETE", "/" + v.index());
        }
        reportDisk(variants.subList(0, DISK_VARIANTS), fresh.subList(0, DISK_VARIANTS), merged);
        reportThroughput(variants, loads, raws, allCores);
        reportCpu(variants, loads, nodeCpu, raws, rawCpu);
      }
    }
  }

  private static void measureRaw(
      RawEncoder raw,
      List<byte[]> photos,
      int group,
      List<RawEncoder.Rate> raws,
      List<Double> cpu) {
    long cpu0 = CpuClock.self();
    RawEncoder.Rate r = raw.measure(photos, group);
    cpu.add((CpuClock.self() - cpu0) / 1e9);
    raws.add(r);
    Log.line(
        "raw: %.1f faces/s, CPU %.1f ms per face",
        r.facesPerSecond(), cpu.getLast() * 1000 / r.faces());
  }

  /**
   * CPU per face: the node's whole process (HTTP, JSON, base64, the processor, the encoder,
   * indexing, refresh and flush, GC) against this JVM running the encoder alone on the same photos,
   * each bulk run against the mean of the raw runs just before and after it, as for faces/s. CPU
   * time moves much less with the load from other programs than wall-clock time does, but it moves
   * too (shared caches), hence the same pairing.
   */
  private static void reportCpu(
      List<Variant> variants,
      List<Gallery.Loaded> loads,
      List<Double> nodeCpu,
      List<RawEncoder.Rate> raws,
      List<Double> rawCpu) {
    System.out.printf(
        Locale.ROOT, "%n== CPU time per face (user + system, all threads of the process)%n");
    if (variants.isEmpty() || nodeCpu.get(0) == 0) {
      System.out.println("(node CPU unknown: connect with --home to measure it)");
      return;
    }
    System.out.println(
        "| run | node CPU ms per face | raw CPU ms per face before, after | raw / node (mean of before and after) |");
    System.out.println("| --- | --- | --- | --- |");
    double[] ratios = new double[DISK_VARIANTS];
    for (int i = 0; i < variants.size(); i++) {
      double ms = nodeCpu.get(i) * 1000 / loads.get(i).answers().indexed();
      double before = rawCpu.get(i) * 1000 / raws.get(i).faces();
      double after = rawCpu.get(i + 1) * 1000 / raws.get(i + 1).faces();
      double ratio = (before + after) / 2 / ms;
      if (i < ratios.length) {
        ratios[i] = ratio;
      }
      System.out.printf(
          Locale.ROOT,
          "| _bulk + face_embedding, %d client(s), into %s | %.1f | %.1f, %.1f | %.3f |%n",
          variants.get(i).clients(),
          variants.get(i).index(),
          ms,
          before,
          after,
          ratio);
    }
    System.out.printf(
        Locale.ROOT,
        "median raw / node CPU per face over the %d %d-client runs: %.3f%n",
        ratios.length,
        variants.get(0).clients(),
        new Percentiles(ratios).median());
  }

  private static void reportDisk(
      List<Variant> variants, List<IndexStore.Stats> fresh, List<IndexStore.Stats> merged) {
    System.out.printf(Locale.ROOT, "%n== disk per face%n");
    System.out.println(
        "| mapping | faces | right after bulk: segments, bytes per face | steady state, 1 segment: store bytes | bytes per face | KiB per face |");
    System.out.println("| --- | --- | --- | --- | --- | --- |");
    for (int i = 0; i < variants.size(); i++) {
      IndexStore.Stats f = fresh.get(i);
      IndexStore.Stats s = merged.get(i);
      System.out.printf(
          Locale.ROOT,
          "| %s | %d | %d, %.0f | %d%s | %.0f | %.2f |%n",
          variants.get(i).label(),
          s.docs(),
          f.segments(),
          (double) f.storeBytes() / f.docs(),
          s.storeBytes(),
          s.historyReleased() ? "" : " (leases still held: includes _recovery_source)",
          (double) s.storeBytes() / s.docs(),
          s.storeBytes() / 1024.0 / s.docs());
    }
    System.out.printf(
        Locale.ROOT,
        "%n== steady state, bytes per face by Lucene file extension (the segment's files; the store adds the commit point)%n");
    Set<String> extensions = new TreeSet<>();
    merged.forEach(s -> extensions.addAll(s.fileBytes().keySet()));
    StringBuilder header = new StringBuilder("| file |");
    StringBuilder rule = new StringBuilder("| --- |");
    for (Variant v : variants) {
      header.append(' ').append(v.index()).append(" |");
      rule.append(" --- |");
    }
    System.out.println(header);
    System.out.println(rule);
    for (String ext : extensions) {
      StringBuilder row = new StringBuilder("| " + ext + " |");
      for (IndexStore.Stats s : merged) {
        row.append(
            String.format(
                Locale.ROOT, " %.0f |", (double) s.fileBytes().getOrDefault(ext, 0L) / s.docs()));
      }
      System.out.println(row);
    }
    StringBuilder total = new StringBuilder("| all |");
    for (IndexStore.Stats s : merged) {
      total.append(
          String.format(
              Locale.ROOT,
              " %.0f |",
              (double) s.fileBytes().values().stream().mapToLong(Long::longValue).sum()
                  / s.docs()));
    }
    System.out.println(total);
  }

  private static void reportThroughput(
      List<Variant> variants,
      List<Gallery.Loaded> loads,
      List<RawEncoder.Rate> raws,
      RawEncoder.Rate allCores) {
    RawEncoder.Rate first = raws.get(0);
    System.out.printf(
        Locale.ROOT,
        "%n== ingest throughput; raw = encoder in the benchmark JVM, %d thread(s), batch %d, node idle%n",
        first.threads(),
        first.batch());
    System.out.println(
        "| run | faces | seconds | faces/s | raw before, after (faces/s) | bulk / raw (mean of before and after) |");
    System.out.println("| --- | --- | --- | --- | --- | --- |");
    double[] ratios = new double[DISK_VARIANTS];
    for (int i = 0; i < variants.size(); i++) {
      Gallery.Loaded l = loads.get(i);
      double before = raws.get(i).facesPerSecond();
      double after = raws.get(i + 1).facesPerSecond();
      double ratio = l.facesPerSecond() / ((before + after) / 2);
      if (i < ratios.length) {
        ratios[i] = ratio;
      }
      System.out.printf(
          Locale.ROOT,
          "| _bulk + face_embedding, %d client(s), into %s | %d | %.2f | %.1f | %.1f, %.1f | %.3f |%n",
          variants.get(i).clients(),
          variants.get(i).index(),
          l.answers().indexed(),
          l.seconds(),
          l.facesPerSecond(),
          before,
          after,
          ratio);
    }
    System.out.printf(
        Locale.ROOT,
        "| (reference) raw encoder on all %d cores, batch %d | %d | %.2f | %.1f | | |%n",
        allCores.threads(),
        allCores.batch(),
        allCores.faces(),
        allCores.seconds(),
        allCores.facesPerSecond());
    System.out.printf(
        Locale.ROOT,
        "median bulk / raw over the %d %d-client runs: %.3f (target >= 0.8)%n",
        ratios.length,
        variants.get(0).clients(),
        new Percentiles(ratios).median());
  }

  /**
   * A setting's effective value on this node: cluster-level updates first, then the node's own
   * configuration (opensearch.yml), then the default (e.g. plugins.face.inference.threads).
   */
  static String setting(NodeClient node, String name) {
    JsonNode all =
        node.request("GET", "/_cluster/settings?include_defaults=true&flat_settings=true");
    for (String section : new String[] {"transient", "persistent"}) {
      JsonNode v = all.path(section).path(name);
      if (!v.isMissingNode()) {
        return v.asText();
      }
    }
    for (JsonNode n :
        Json.at(node.request("GET", "/_nodes/_local/settings?flat_settings=true"), "/nodes")) {
      JsonNode v = n.path("settings").path(name);
      if (!v.isMissingNode()) {
        return v.asText();
      }
    }
    JsonNode v = all.path("defaults").path(name);
    if (!v.isMissingNode()) {
      return v.asText();
    }
    throw new IllegalStateException("the node does not know the setting [" + name + "]");
  }
}
