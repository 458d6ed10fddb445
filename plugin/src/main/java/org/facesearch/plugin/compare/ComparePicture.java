package org.facesearch.plugin.compare;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.QuadCurve2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.facesearch.emd.Flow;
import org.facesearch.verification.VerificationCalibration;

/**
 * The picture of a comparison ({@code _compare?format=png}), drawn with Java2D: the two aligned
 * faces side by side (the 112x112 crops the model saw, enlarged), each with its patch grid; the
 * strongest patch flows as lines from cell centre to cell centre (thicker for more mass); cells a
 * photo shows covered (flat, painted-over pixels: the occlusion evidence stage 2 reads) shaded; a
 * face below the recognizability threshold dimmed and labelled; and the scores and the decision
 * written underneath. A stored face has no photo (an index keeps only its features): its panel is
 * the grid alone, and says so.
 */
final class ComparePicture {

  /** How much larger than the aligned crop each face is drawn. */
  static final int SCALE = 3;

  /** A cell whose pixels are at least this share flat is drawn as covered. */
  static final float COVERED_CELL = 0.5f;

  private static final int MARGIN = 20;
  private static final int GAP = 120;
  private static final int TITLE = 30;
  private static final int LINE = 20;
  private static final Color BACKGROUND = Color.WHITE;
  private static final Color TEXT = new Color(0x20, 0x20, 0x20);
  private static final Color GRID = new Color(255, 255, 255, 90);
  private static final Color NO_PHOTO = new Color(0x3a, 0x3f, 0x47);
  private static final Color COVERED = new Color(230, 120, 0, 120);
  private static final Color FLOW = new Color(0, 150, 200);
  private static final Color MATCH = new Color(0x1a, 0x7f, 0x37);
  private static final Color NO_MATCH = new Color(0xb3, 0x1d, 0x28);
  private static final Color UNDECIDED = new Color(0x9a, 0x67, 0x00);

  private ComparePicture() {}

  /**
   * The PNG bytes of the picture of {@code c}; {@code size} is the aligned crop's side (112 for the
   * default model).
   */
  static byte[] png(Comparison c, int size, String model) throws IOException {
    BufferedImage image = draw(c, size, model);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(image, "png", out)) {
      throw new IllegalStateException("no PNG writer in this JDK");
    }
    return out.toByteArray();
  }

  static BufferedImage draw(Comparison c, int size, String model) {
    int panel = size * SCALE;
    List<String> lines = text(c, model);
    int width = 2 * MARGIN + 2 * panel + GAP;
    int height = MARGIN + TITLE + panel + MARGIN + LINE * (lines.size() + 1) + MARGIN;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setColor(BACKGROUND);
      g.fillRect(0, 0, width, height);
      int top = MARGIN + TITLE;
      int leftA = MARGIN;
      int leftB = MARGIN + panel + GAP;
      face(g, c, c.a, leftA, top, panel);
      face(g, c, c.b, leftB, top, panel);
      if (c.emd != null) {
        flows(g, c, leftA, leftB, top, panel);
      }
      g.setColor(TEXT);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
      g.drawString("a: " + c.a.side().describe(), leftA, MARGIN + 18);
      g.drawString("b: " + c.b.side().describe(), leftB, MARGIN + 18);
      int y = top + panel + MARGIN + LINE;
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
      g.setColor(
          switch (c.decision) {
            case MATCH -> MATCH;
            case NO_MATCH -> NO_MATCH;
            case UNDECIDED -> UNDECIDED;
          });
      g.drawString(lines.get(0), MARGIN, y);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
      g.setColor(TEXT);
      for (int i = 1; i < lines.size(); i++) {
        g.drawString(lines.get(i), MARGIN, y + LINE * i);
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  /** The lines under the faces: the decision and its reason first. */
  static List<String> text(Comparison c, String model) {
    List<String> lines = new ArrayList<>();
    lines.add(c.decision.wireName().replace('_', ' ').toUpperCase(Locale.ROOT) + ": " + c.reason);
    StringBuilder scores = new StringBuilder(String.format(Locale.ROOT, "cosine %.4f", c.cosine));
    if (c.emd != null) {
      scores.append(
          String.format(
              Locale.ROOT,
              "   EMD %.4f   score %.4f (alpha %.2f, weighting %s)",
              c.emd.emdSimilarity(),
              c.emd.score(),
              c.emd.alpha(),
              c.emd.describeWeighting()));
    } else {
      scores.append("   (no EMD: a face without a patch map)");
    }
    lines.add(scores.toString());
    lines.add(
        c.threshold.fmr() == null
            ? String.format(
                Locale.ROOT, "threshold: cosine %.4f (min_similarity)", c.threshold.cosine())
            : String.format(
                Locale.ROOT,
                "threshold: cosine %.4f at false-match rate %s (false non-match rate %.1f%%)",
                c.threshold.cosine(),
                VerificationCalibration.rate(c.threshold.fmr()),
                100 * c.threshold.fnmr()));
    lines.add(
        String.format(
            Locale.ROOT,
            "ERS a %s, b %s%s   model %s",
            ers(c.a),
            ers(c.b),
            c.minErs == null ? "" : " (recognizable from " + c.minErs + ")",
            model));
    if (c.emd != null && !c.emd.flows().isEmpty()) {
      lines.add(
          "lines: the "
              + c.emd.flows().size()
              + " strongest patch flows (cell of a to cell of b), thicker for more mass"
              + (c.a.occlusion() != null || c.b.occlusion() != null
                  ? "; orange cells: covered in the photo"
                  : ""));
    }
    return lines;
  }

  /**
   * How far the control point of flow {@code rank}'s arc lies from the straight line, in pixels
   * (its midpoint: half that).
   */
  static float bend(int rank) {
    return (rank % 2 == 0 ? -1 : 1) * 16f * (rank / 2 + 1);
  }

  private static String ers(Comparison.Face f) {
    return f.ers() == null ? "n/a" : String.format(Locale.ROOT, "%.3f", f.ers());
  }

  private static void face(
      Graphics2D g, Comparison c, Comparison.Face f, int left, int top, int panel) {
    int rows = f.patches() != null ? f.patches().rows() : 7;
    int cols = f.patches() != null ? f.patches().cols() : 7;
    if (f.aligned() != null) {
      g.drawImage(f.aligned().toBufferedImage(), left, top, panel, panel, null);
    } else {
      g.setColor(NO_PHOTO);
      g.fillRect(left, top, panel, panel);
      g.setColor(new Color(0xdd, 0xdd, 0xdd));
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
      String[] note =
          f.side().isStored()
              ? new String[] {
                "stored face: the index keeps no photo,", "only the patch grid is drawn"
              }
              : new String[] {"an embedding: no photo,", "only the patch grid is drawn"};
      for (int i = 0; i < note.length; i++) {
        int w = g.getFontMetrics().stringWidth(note[i]);
        g.drawString(note[i], left + (panel - w) / 2, top + panel / 2 - 10 + 20 * i);
      }
    }
    if (f.occlusion() != null) {
      g.setColor(COVERED);
      for (int r = 0; r < rows; r++) {
        for (int col = 0; col < cols; col++) {
          if (f.occlusion()[r * cols + col] >= COVERED_CELL) {
            g.fillRect(
                left + col * panel / cols, top + r * panel / rows, panel / cols, panel / rows);
          }
        }
      }
    }
    g.setColor(GRID);
    g.setStroke(new BasicStroke(1f));
    for (int i = 1; i < rows; i++) {
      g.drawLine(left, top + i * panel / rows, left + panel, top + i * panel / rows);
    }
    for (int i = 1; i < cols; i++) {
      g.drawLine(left + i * panel / cols, top, left + i * panel / cols, top + panel);
    }
    g.setColor(new Color(0x90, 0x90, 0x90));
    g.drawRect(left, top, panel, panel);
    if (c.unrecognizable(f)) {
      g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.55f));
      g.setColor(Color.BLACK);
      g.fillRect(left, top, panel, panel);
      g.setComposite(AlphaComposite.SrcOver);
      g.setColor(new Color(0xff, 0xd0, 0x60));
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
      String label = String.format(Locale.ROOT, "unrecognizable: ERS %.3f < %s", f.ers(), c.minErs);
      g.drawString(
          label, left + (panel - g.getFontMetrics().stringWidth(label)) / 2, top + panel - 14);
    }
  }

  private static void flows(Graphics2D g, Comparison c, int leftA, int leftB, int top, int panel) {
    List<Flow> flows = c.emd.flows();
    if (flows.isEmpty()) {
      return;
    }
    // Flows index the grid compared: the faces' own, or the pooled one (grid 4x4).
    int pooledRows = c.params.grid().pooledRows();
    int pooledCols = c.params.grid().pooledCols();
    int rowsA = pooledRows > 0 ? pooledRows : c.a.patches().rows();
    int colsA = pooledCols > 0 ? pooledCols : c.a.patches().cols();
    int rowsB = pooledRows > 0 ? pooledRows : c.b.patches().rows();
    int colsB = pooledCols > 0 ? pooledCols : c.b.patches().cols();
    double strongest = flows.get(0).mass();
    for (Flow f : flows) {
      strongest = Math.max(strongest, f.mass());
    }
    for (int i = flows.size() - 1; i >= 0; i--) { // the strongest drawn last, on top
      Flow f = flows.get(i);
      double share = f.mass() / strongest;
      float x1 = leftA + (f.queryCol() + 0.5f) * panel / colsA;
      float y1 = top + (f.queryRow() + 0.5f) * panel / rowsA;
      float x2 = leftB + (f.galleryCol() + 0.5f) * panel / colsB;
      float y2 = top + (f.galleryRow() + 0.5f) * panel / rowsB;
      g.setColor(
          new Color(FLOW.getRed(), FLOW.getGreen(), FLOW.getBlue(), (int) (110 + 140 * share)));
      g.setStroke(
          new BasicStroke(
              (float) (1.5 + 4.5 * share), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      // A gentle arc, each flow bent its own way (up, down, further up, ...): flows between cells
      // of one
      // row (eyes to eyes, chin to chin) would otherwise lie on one line.
      float bend = bend(i);
      g.draw(new QuadCurve2D.Float(x1, y1, (x1 + x2) / 2, (y1 + y2) / 2 + bend, x2, y2));
      int dot = (int) Math.round(6 + 4 * share);
      g.fillOval(Math.round(x1) - dot / 2, Math.round(y1) - dot / 2, dot, dot);
      g.fillOval(Math.round(x2) - dot / 2, Math.round(y2) - dot / 2, dot, dot);
    }
  }
}
