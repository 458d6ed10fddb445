package org.facesearch.evaluation.recognizability;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.facesearch.encoder.EncoderOptions;
import org.facesearch.encoder.FaceEncoder;
import org.facesearch.evaluation.Args;
import org.facesearch.evaluation.Inputs;
import org.facesearch.evaluation.Lfw;
import org.facesearch.evaluation.identification.QueryVersionImages;
import org.facesearch.image.RgbImage;
import org.facesearch.model.PackDescriptor;
import org.facesearch.recognizability.Degradations;

/**
 * Contact sheets of what the degradations do: one row per face, one captioned column per
 * degradation.
 *
 * <ul>
 *   <li>{@code --set query-versions} (default): the identification suite's aligned-crop query
 *       versions, applied by the suite's own code to a synthetic crop (no LFW pixels): light grey
 *       with the 7x7 patch grid and the alignment template's five points. Written to {@code
 *       docs/images/eval-query-versions.png} unless {@code --out} says otherwise.
 *   <li>{@code --set recognizability}: the recognizability recipes on LFW faces (the first photo of
 *       the first {@code --faces} calibration people): clean, 24x24, 16x16, blurred, lower and
 *       upper half occluded, four {@link DegradationRecipes#random} draws and two {@link
 *       Degradations#heavy} draws. The sheet shows LFW faces: {@code --out} is required and should
 *       lie outside the repository.
 * </ul>
 *
 * <pre>
 * evaluation/run degradation-sheet
 * evaluation/run degradation-sheet --set recognizability --out /tmp/sheet.png [--faces 6]
 * </pre>
 */
public final class DegradationSheet {
  private static final int CAPTION = 34;
  private static final int GAP = 10;

  private DegradationSheet() {}

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv, Set.of("set", "out", "faces"));
    String set = args.string("set", "query-versions");
    List<Map<String, RgbImage>> rows = new ArrayList<>();
    Path out;
    int scale;
    switch (set) {
      case "query-versions" -> {
        out = args.path("out", "docs/images/eval-query-versions.png");
        PackDescriptor.Feature feature = Inputs.defaultPack().descriptor().feature();
        rows.add(
            QueryVersionImages.of(
                syntheticCrop(feature.alignmentTemplate(), feature.inputSize()),
                feature.alignmentTemplate()));
        scale = 2;
      }
      case "recognizability" -> {
        String to = args.stringOrNull("out");
        if (to == null) {
          throw new IllegalArgumentException(
              "option [--out] is required with --set recognizability (the sheet shows LFW faces: write it outside "
                  + "the repository)");
        }
        out = Path.of(to);
        rows.addAll(recognizabilityRows(args.positive("faces", 6)));
        scale = 1;
      }
      default ->
          throw new IllegalArgumentException(
              "option [--set] is query-versions or recognizability, got [" + set + "]");
    }
    write(out, rows, scale);
    System.out.printf(Locale.ROOT, "wrote %s (%d rows)%n", out, rows.size());
  }

  private static List<Map<String, RgbImage>> recognizabilityRows(int n) throws IOException {
    Lfw lfw = Lfw.open();
    List<Path> images = new ArrayList<>();
    for (String person : LfwFaces.people(lfw.pairs(), true)) {
      if (images.size() < n) {
        images.add(lfw.file(person, 1));
      }
    }
    List<Map<String, RgbImage>> rows = new ArrayList<>();
    try (FaceEncoder encoder = FaceEncoder.open(Inputs.defaultPack(), EncoderOptions.defaults())) {
      List<LfwFaces.Face> faces = new ArrayList<>(LfwFaces.encode(encoder, images).values());
      for (int row = 0; row < faces.size(); row++) {
        RgbImage f = faces.get(row).aligned();
        Map<String, RgbImage> cells = new LinkedHashMap<>();
        cells.put("clean", f);
        cells.put("24x24", Degradations.downUp(f, 24));
        cells.put("16x16", Degradations.downUp(f, 16));
        cells.put("blurred", Degradations.gaussianBlur(f, Evidence.BLUR_SIGMA));
        cells.put("lower half", DegradationRecipes.halfOccluded(f, false));
        cells.put("upper half", DegradationRecipes.halfOccluded(f, true));
        for (int k = 0; k < 4; k++) {
          DegradationRecipes.Degraded d =
              DegradationRecipes.random(f, LfwFaces.random(99, row * 10 + k));
          cells.put("random " + (k + 1), d.image());
        }
        for (int k = 0; k < 2; k++) {
          cells.put("heavy " + (k + 1), Degradations.heavy(f, LfwFaces.random(98, row * 10 + k)));
        }
        rows.add(cells);
      }
    }
    return rows;
  }

  /**
   * Rows of captioned images, each drawn {@code scale} times its size; the captions of the first
   * row name the columns.
   */
  static void write(Path out, List<Map<String, RgbImage>> rows, int scale) throws IOException {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("a sheet needs at least one row");
    }
    RgbImage first = rows.get(0).values().iterator().next();
    int cellW = first.width() * scale;
    int cellH = first.height() * scale;
    int columns = rows.get(0).size();
    BufferedImage sheet =
        new BufferedImage(
            columns * (cellW + GAP) + GAP,
            rows.size() * (cellH + GAP) + CAPTION,
            BufferedImage.TYPE_INT_RGB);
    Graphics2D g = sheet.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      for (int r = 0; r < rows.size(); r++) {
        int c = 0;
        for (Map.Entry<String, RgbImage> cell : rows.get(r).entrySet()) {
          int x = GAP + c * (cellW + GAP);
          g.drawImage(
              cell.getValue().toBufferedImage(), x, GAP + r * (cellH + GAP), cellW, cellH, null);
          if (r == rows.size() - 1) {
            g.setColor(Color.BLACK);
            String[] lines = rows.get(0).keySet().toArray(String[]::new)[c].split("\n");
            for (int l = 0; l < lines.length; l++) {
              g.drawString(lines[l], x, GAP + rows.size() * (cellH + GAP) + 4 + l * 14);
            }
          }
          c++;
        }
      }
    } finally {
      g.dispose();
    }
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (!ImageIO.write(sheet, "png", out.toFile())) {
      throw new IllegalStateException("no PNG writer for " + out);
    }
  }

  /** Light grey, the 7x7 cell borders in mid grey, the five template points as 3x3 red dots. */
  static RgbImage syntheticCrop(float[] template, int size) {
    byte[] px = new byte[size * size * 3];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int v = (x % 16 == 0 || y % 16 == 0) ? 150 : 215;
        int o = (y * size + x) * 3;
        px[o] = (byte) v;
        px[o + 1] = (byte) v;
        px[o + 2] = (byte) v;
      }
    }
    for (int p = 0; p < 5; p++) {
      int cx = Math.round(template[2 * p]);
      int cy = Math.round(template[2 * p + 1]);
      for (int dy = -1; dy <= 1; dy++) {
        for (int dx = -1; dx <= 1; dx++) {
          int o = ((cy + dy) * size + cx + dx) * 3;
          px[o] = (byte) 200;
          px[o + 1] = 0;
          px[o + 2] = 0;
        }
      }
    }
    return new RgbImage(size, size, px);
  }
}
