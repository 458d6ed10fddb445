package org.facesearch.bench.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.facesearch.cli.NodeClient;
import org.facesearch.evaluation.Args;
import org.facesearch.evaluation.Lfw;

/**
 * Disk bytes per face on a real node for each patch encoding (float32, float16, int8), with the
 * default {@code face} mapping (nothing but {@code patch_encoding}: the embedding and the patch map
 * stay out of the stored {@code _source}) and the documented pipeline ({@code face_embedding} with
 * {@code remove_image: true}). Photos go in through {@code _bulk} in two halves, each committed, so
 * that the index has several segments; the steady state is measured after a forced flush, once the
 * shard's retention leases have moved past the indexed operations (so merges may drop {@code
 * _recovery_source}), and a force-merge to one segment.
 *
 * <pre>benchmarks/node-bench.sh disk [--photos 200] [--bulk-docs 50]</pre>
 */
public final class DiskBench {

  private static final List<String> ENCODINGS = List.of("float32", "float16", "int8");

  private DiskBench() {}

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv, Set.of("home", "port", "photos", "bulk-docs"));
    int count = args.positive("photos", 200);
    int bulkDocs = args.positive("bulk-docs", 50);
    try (NodeClient node = NodeConnection.connect(args)) {
      List<Photos.Photo> photos = Photos.pick(Lfw.open(), p -> true, 0, count);
      int half = photos.size() / 2;
      List<byte[]> first = Gallery.bulkBodies(photos.subList(0, half), bulkDocs, 0);
      List<byte[]> second = Gallery.bulkBodies(photos.subList(half, photos.size()), bulkDocs, half);
      Gallery.createPipeline(node);
      List<IndexStore.Stats> merged = new ArrayList<>();
      for (String encoding : ENCODINGS) {
        String index = "bench-disk-" + encoding;
        Gallery.createIndex(node, index, encoding, List.of());
        for (List<byte[]> bodies : List.of(first, second)) {
          Gallery.Loaded loaded = Gallery.load(node, index, bodies, 1);
          loaded.answers().check(index, 0.02);
          IndexStore.current(node, index); // refresh and commit: one segment per half at least
        }
        merged.add(IndexStore.forceMerge(node, index, 180));
        Log.line("%s: %d faces, force-merged to 1 segment", index, merged.getLast().docs());
        NodeConnection.deleteIndex(node, index);
      }
      System.out.printf(
          Locale.ROOT,
          "%n== disk per face, default mapping (vectors out of _source), steady state, 1 segment%n");
      System.out.println(
          "| patch_encoding | faces | store bytes | bytes per face | KiB per face | leases released before the merge |");
      System.out.println("| --- | --- | --- | --- | --- | --- |");
      for (int i = 0; i < ENCODINGS.size(); i++) {
        IndexStore.Stats s = merged.get(i);
        System.out.printf(
            Locale.ROOT,
            "| %s | %d | %d | %.0f | %.2f | %s |%n",
            ENCODINGS.get(i),
            s.docs(),
            s.storeBytes(),
            (double) s.storeBytes() / s.docs(),
            s.storeBytes() / 1024.0 / s.docs(),
            s.historyReleased() ? "yes" : "NO (includes _recovery_source)");
      }
      System.out.printf(Locale.ROOT, "%n== bytes per face by Lucene file extension%n");
      System.out.println(
          "| patch_encoding | " + String.join(" | ", merged.get(0).fileBytes().keySet()) + " |");
      for (int i = 0; i < ENCODINGS.size(); i++) {
        IndexStore.Stats s = merged.get(i);
        StringBuilder row = new StringBuilder("| " + ENCODINGS.get(i) + " |");
        for (String ext : merged.get(0).fileBytes().keySet()) {
          row.append(
              String.format(
                  Locale.ROOT, " %.0f |", (double) s.fileBytes().getOrDefault(ext, 0L) / s.docs()));
        }
        System.out.println(row);
      }
    }
  }
}
