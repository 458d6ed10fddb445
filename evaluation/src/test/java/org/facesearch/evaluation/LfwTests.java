package org.facesearch.evaluation;

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

public class LfwTests {
  private Path root;

  @Before
  public void layout() throws Exception {
    Files.createDirectories(Path.of("target"));
    root = Files.createTempDirectory(Path.of("target"), "lfw");
    for (String f :
        List.of(
            "Carl/Carl_0002.jpg",
            "Carl/Carl_0001.jpg",
            "Carl/Carl_0003.jpg",
            "Anna/Anna_0001.jpg",
            "Anna/Anna_0002.jpg",
            "Bert/Bert_0001.jpg",
            "Bert/notes.txt")) {
      Files.createDirectories(root.resolve(f).getParent());
      Files.write(root.resolve(f), new byte[0]);
    }
    Files.createDirectories(root.resolve("Empty"));
    // Two folds of one matched and one mismatched pair each, as LFW's pairs.txt lays them out.
    Files.writeString(
        root.resolve("pairs.txt"),
        "2\t1\nCarl\t1\t3\nAnna\t1\tBert\t1\nAnna\t1\t2\nBert\t1\tCarl\t2\n");
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
    Lfw g = Lfw.scan(root);
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
    Lfw g = Lfw.scan(root);
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
      assertThrows(IllegalStateException.class, () -> Lfw.scan(empty));
    } finally {
      Files.delete(empty);
    }
  }

  @Test
  public void imagesByPersonAndNumber() throws Exception {
    Lfw g = Lfw.scan(root);
    assertEquals(root.resolve("Carl/Carl_0002.jpg"), g.image(g.label(3), 1));
    assertEquals(root.resolve("Carl/Carl_0002.jpg"), g.file("Carl", 2));
    assertEquals("Carl", Lfw.person(g.file("Carl", 2)));
    assertThrows(
        IllegalArgumentException.class, () -> g.image(g.label(2), 1)); // Bert has one image
    assertEquals(
        List.of(
            root.resolve("Anna/Anna_0001.jpg"),
            root.resolve("Anna/Anna_0002.jpg"),
            root.resolve("Carl/Carl_0001.jpg"),
            root.resolve("Carl/Carl_0002.jpg"),
            root.resolve("Carl/Carl_0003.jpg")),
        g.imagesOf(List.of("Carl", "Anna")));
    assertThrows(IllegalArgumentException.class, () -> g.imagesOf(List.of("Dora")));
  }

  @Test
  public void pairsByFold() throws Exception {
    Lfw.Pairs pairs = Lfw.scan(root).pairs();
    assertEquals(2, pairs.folds());
    assertEquals(1, pairs.perFold());
    assertEquals(
        List.of(
            new Lfw.Pair(
                root.resolve("Carl/Carl_0001.jpg"), root.resolve("Carl/Carl_0003.jpg"), true, 0),
            new Lfw.Pair(
                root.resolve("Anna/Anna_0001.jpg"), root.resolve("Bert/Bert_0001.jpg"), false, 0),
            new Lfw.Pair(
                root.resolve("Anna/Anna_0001.jpg"), root.resolve("Anna/Anna_0002.jpg"), true, 1),
            new Lfw.Pair(
                root.resolve("Bert/Bert_0001.jpg"), root.resolve("Carl/Carl_0002.jpg"), false, 1)),
        pairs.pairs());
    // Distinct images in first-use order.
    assertEquals(
        List.of(
            root.resolve("Carl/Carl_0001.jpg"),
            root.resolve("Carl/Carl_0003.jpg"),
            root.resolve("Anna/Anna_0001.jpg"),
            root.resolve("Bert/Bert_0001.jpg"),
            root.resolve("Anna/Anna_0002.jpg"),
            root.resolve("Carl/Carl_0002.jpg")),
        pairs.images());
  }

  @Test
  public void refusesPairsThatDoNotFitTheHeader() throws Exception {
    Files.writeString(root.resolve("pairs.txt"), "1\t1\nCarl\t1\t3\nAnna\t1\n");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Lfw.scan(root).pairs());
    assertTrue(e.getMessage(), e.getMessage().contains("line 3"));
    Files.writeString(root.resolve("pairs.txt"), "1\t2\nCarl\t1\t3\n");
    assertThrows(IllegalStateException.class, () -> Lfw.scan(root).pairs());
  }
}
