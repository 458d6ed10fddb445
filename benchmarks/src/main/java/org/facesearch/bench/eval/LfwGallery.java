package org.facesearch.bench.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The LFW images under a folder in LFW's layout ({@code Person_Name/Person_Name_NNNN.jpg}), in a
 * fixed order (people by name, then images by name), each labelled with its person. Every image
 * is a gallery item; every image of a person with at least two images is a query.
 */
final class LfwGallery {
    private final Path root;
    private final List<String> names;      // relative paths, e.g. "Tony_Blair/Tony_Blair_0001.jpg"
    private final int[] labels;
    private final List<String> people;
    private final int[] imagesPerLabel;

    private LfwGallery(Path root, List<String> names, int[] labels, List<String> people) {
        this.root = root;
        this.names = names;
        this.labels = labels;
        this.people = people;
        this.imagesPerLabel = new int[people.size()];
        for (int label : labels) {
            imagesPerLabel[label]++;
        }
    }

    static LfwGallery scan(Path lfw) throws IOException {
        List<Path> dirs;
        try (Stream<Path> s = Files.list(lfw)) {
            dirs = s.filter(Files::isDirectory).sorted().toList();
        }
        List<String> names = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> people = new ArrayList<>();
        for (Path dir : dirs) {
            List<Path> images;
            try (Stream<Path> s = Files.list(dir)) {
                images = s.filter(p -> p.getFileName().toString().endsWith(".jpg")).sorted().toList();
            }
            if (images.isEmpty()) {
                continue;
            }
            int label = people.size();
            people.add(dir.getFileName().toString());
            for (Path image : images) {
                names.add(dir.getFileName() + "/" + image.getFileName());
                labels.add(label);
            }
        }
        if (names.isEmpty()) {
            throw new IllegalStateException("no LFW images (Person/Person_NNNN.jpg) under " + lfw.toAbsolutePath());
        }
        return new LfwGallery(lfw, List.copyOf(names), labels.stream().mapToInt(Integer::intValue).toArray(), List.copyOf(people));
    }

    int size() {
        return names.size();
    }

    Path root() {
        return root;
    }

    /** The relative path of item {@code i}. */
    String name(int i) {
        return names.get(i);
    }

    Path path(int i) {
        return root.resolve(names.get(i));
    }

    int label(int i) {
        return labels[i];
    }

    String person(int label) {
        return people.get(label);
    }

    int people() {
        return people.size();
    }

    /** Gallery items with this label (including a query's own image). */
    int imagesOf(int label) {
        return imagesPerLabel[label];
    }

    /** Every item whose person has at least two images, in gallery order. */
    List<Integer> queries() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (imagesPerLabel[labels[i]] >= 2) {
                out.add(i);
            }
        }
        return out;
    }

    /** {@code n} of {@link #queries()} drawn without replacement with {@code seed}, in gallery order (all when n is larger). */
    List<Integer> sampleQueries(int n, long seed) {
        List<Integer> all = new ArrayList<>(queries());
        if (n >= all.size()) {
            return all;
        }
        Collections.shuffle(all, new Random(seed));
        List<Integer> out = new ArrayList<>(all.subList(0, n));
        Collections.sort(out);
        return out;
    }
}
