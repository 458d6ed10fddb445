package org.facesearch.bench.eval;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class LfwGalleryTest {
    private Path root;

    @Before
    public void layout() throws Exception {
        Files.createDirectories(Path.of("target"));
        root = Files.createTempDirectory(Path.of("target"), "lfw");
        for (String f : List.of("Carl/Carl_0002.jpg", "Carl/Carl_0001.jpg", "Carl/Carl_0003.jpg", "Anna/Anna_0001.jpg", "Anna/Anna_0002.jpg",
            "Bert/Bert_0001.jpg", "Bert/notes.txt")) {
            Files.createDirectories(root.resolve(f).getParent());
            Files.write(root.resolve(f), new byte[0]);
        }
        Files.createDirectories(root.resolve("Empty"));
        Files.write(root.resolve("pairs.txt"), new byte[0]);
    }

    @After
    public void clean() throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    public void peopleAndImagesInNameOrder() throws Exception {
        LfwGallery g = LfwGallery.scan(root);
        assertEquals(6, g.size());
        assertEquals(3, g.people()); // the empty folder and loose files are not people
        assertEquals("Anna/Anna_0001.jpg", g.name(0));
        assertEquals("Bert/Bert_0001.jpg", g.name(2));
        assertEquals("Carl/Carl_0001.jpg", g.name(3));
        assertEquals("Carl/Carl_0003.jpg", g.name(5));
        assertEquals("Carl", g.person(g.label(5)));
        assertEquals(3, g.imagesOf(g.label(4)));
        // Bert has one image: never a query, still in the gallery.
        assertEquals(List.of(0, 1, 3, 4, 5), g.queries());
    }

    @Test
    public void seededSamplesAreSubsetsInGalleryOrder() throws Exception {
        LfwGallery g = LfwGallery.scan(root);
        List<Integer> a = g.sampleQueries(3, 11);
        assertEquals(a, g.sampleQueries(3, 11));
        assertEquals(3, a.size());
        assertTrue(g.queries().containsAll(a));
        assertEquals(a.stream().sorted().toList(), a);
        assertEquals(g.queries(), g.sampleQueries(100, 11));
    }

    @Test
    public void refusesAFolderWithoutImages() throws Exception {
        Path empty = Files.createTempDirectory(Path.of("target"), "nolfw");
        try {
            assertThrows(IllegalStateException.class, () -> LfwGallery.scan(empty));
        } finally {
            Files.delete(empty);
        }
    }
}
