package org.facesearch.evaluation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.facesearch.encoder.EncodedFace;

/**
 * Which detected face of an LFW photo is the labelled person. LFW photos are centred on that person
 * and often show others too, sometimes larger, so the labelled face is the one whose box centre is
 * nearest the image centre (the LFW protocol's face), or, for a crop of the photo, nearest the
 * point where the photo's centre landed.
 */
public final class FaceChoice {
  private FaceChoice() {}

  /** The face whose box centre is nearest (x, y); null when there is none. */
  public static EncodedFace nearest(List<EncodedFace> faces, double x, double y) {
    EncodedFace best = null;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (EncodedFace f : faces) {
      float[] b = f.box();
      double d = Math.hypot(b[0] + b[2] / 2.0 - x, b[1] + b[3] / 2.0 - y);
      if (d < bestDistance) {
        bestDistance = d;
        best = f;
      }
    }
    return best;
  }

  /**
   * The face whose box centre is nearest the centre of the (upright) encoded image {@code image};
   * null when there is none.
   */
  public static EncodedFace nearestCentre(List<EncodedFace> faces, byte[] image)
      throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(image))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new IOException("no image reader for these " + image.length + " bytes");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in);
        return nearest(faces, reader.getWidth(0) / 2.0, reader.getHeight(0) / 2.0);
      } finally {
        reader.dispose();
      }
    }
  }
}
