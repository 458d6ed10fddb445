package org.facesearch.bench.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.facesearch.bench.encoder.BenchSupport;

/**
 * LFW photos read in place from the shared data folder (never copied), in a fixed order: people
 * sorted by name, each person's photos by number.
 */
final class LfwPhotos {
    record Photo(String person, String file, byte[] bytes) {}

    private final List<List<Path>> people = new ArrayList<>();

    LfwPhotos() throws IOException {
        try (Stream<Path> dirs = Files.list(BenchSupport.lfw())) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> files = Files.list(dir)) {
                    List<Path> jpgs = files.filter(p -> p.getFileName().toString().endsWith(".jpg")).sorted().toList();
                    if (!jpgs.isEmpty()) {
                        people.add(jpgs);
                    }
                }
            }
        }
    }

    /** The first photo of each person, for the first {@code count} people. */
    List<Photo> firstPhotos(int count) {
        return pick(people, 0, count);
    }

    /** People with at least two photos. */
    List<List<Path>> withTwoOrMore() {
        return people.stream().filter(p -> p.size() >= 2).toList();
    }

    /** People with exactly one photo. */
    List<List<Path>> withOne() {
        return people.stream().filter(p -> p.size() == 1).toList();
    }

    /** Photo number {@code index} (0-based) of the first {@code count} of {@code group}; fails if the group is smaller. */
    static List<Photo> pick(List<List<Path>> group, int index, int count) {
        if (group.size() < count) {
            throw new IllegalArgumentException("asked for " + count + " people, LFW has " + group.size() + " that fit");
        }
        List<Photo> out = new ArrayList<>(count);
        for (List<Path> photos : group.subList(0, count)) {
            out.add(read(photos.get(index)));
        }
        return out;
    }

    static Photo read(Path file) {
        try {
            return new Photo(file.getParent().getFileName().toString(), file.getFileName().toString(), Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
