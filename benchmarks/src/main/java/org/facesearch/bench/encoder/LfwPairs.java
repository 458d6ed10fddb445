package org.facesearch.bench.encoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** LFW's pairs.txt: 10 folds, each with n matched then n mismatched pairs. */
public record LfwPairs(int folds, int perFold, List<Pair> pairs) {

    public record Pair(Path a, Path b, boolean same, int fold) {}

    public static LfwPairs read(Path lfw) throws IOException {
        List<String> lines = Files.readAllLines(lfw.resolve("pairs.txt"));
        String[] head = lines.get(0).trim().split("\\s+");
        int folds = Integer.parseInt(head[0]);
        int n = Integer.parseInt(head[1]);
        List<Pair> pairs = new ArrayList<>();
        int line = 1;
        for (int f = 0; f < folds; f++) {
            for (int i = 0; i < 2 * n; i++, line++) {
                String[] p = lines.get(line).trim().split("\\s+");
                if (i < n) {
                    pairs.add(new Pair(BenchSupport.lfwImage(lfw, p[0], Integer.parseInt(p[1])), BenchSupport.lfwImage(lfw, p[0], Integer.parseInt(p[2])), true, f));
                } else {
                    pairs.add(new Pair(BenchSupport.lfwImage(lfw, p[0], Integer.parseInt(p[1])), BenchSupport.lfwImage(lfw, p[2], Integer.parseInt(p[3])), false, f));
                }
            }
        }
        return new LfwPairs(folds, n, pairs);
    }

    /** Every image the pairs use, once, in first-use order. */
    public List<Path> images() {
        Set<Path> all = new LinkedHashSet<>();
        for (Pair p : pairs) {
            all.add(p.a());
            all.add(p.b());
        }
        return new ArrayList<>(all);
    }
}
