package org.facesearch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/** Covers the lower face (from the nose tip down) like a mask, placed from the node's landmarks. */
final class Occlusion {

  static byte[] maskLowerFace(NodeClient node, byte[] photo) throws IOException {
    JsonNode faces =
        node.request(
                "POST",
                "/_plugins/face/_encode",
                "{\"image\": \"" + Base64.getEncoder().encodeToString(photo) + "\"}")
            .path("faces");
    if (faces.isEmpty()) {
      throw new IllegalArgumentException("no face found in the demo's query photo");
    }
    JsonNode face = faces.get(0);
    double x = face.path("box").get(0).asDouble();
    double w = face.path("box").get(2).asDouble();
    double bottom = face.path("box").get(1).asDouble() + face.path("box").get(3).asDouble();
    double noseY = face.path("landmarks").get(2).get(1).asDouble();
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(photo));
    BufferedImage out =
        new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.drawImage(image, 0, 0, null);
    g.setColor(Color.BLACK);
    g.fillRect(
        (int) Math.floor(x),
        (int) Math.floor(noseY),
        (int) Math.ceil(w),
        (int) Math.ceil(bottom - noseY + 0.1 * w));
    g.dispose();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(out, "jpg", bytes);
    return bytes.toByteArray();
  }

  private Occlusion() {}
}
