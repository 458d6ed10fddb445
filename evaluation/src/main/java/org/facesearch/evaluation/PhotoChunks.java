package org.facesearch.evaluation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.facesearch.encoder.EncodeMode;
import org.facesearch.encoder.EncodeResult;
import org.facesearch.encoder.FaceEncoder;

/**
 * Photos run through the full pipeline (decode, detect, landmarks, align, embed) a chunk at a time,
 * so that {@link FaceEncoder#encodeAll} batches them on every encoder thread while only one chunk
 * of photo bytes is held at once. Every face of each photo is kept; the caller chooses.
 */
public final class PhotoChunks {
  /** Photos per chunk: enough to keep every encoder thread's batches full. */
  public static final int CHUNK = 64;

  private PhotoChunks() {}

  /** What is done with one chunk. */
  @FunctionalInterface
  public interface Consumer {
    /**
     * @param first the index of the chunk's first photo in the whole list
     * @param photos the chunk's photos
     * @param bytes their encoded bytes, in the same order
     * @param results what the encoder found in each
     */
    void accept(int first, List<Path> photos, List<byte[]> bytes, List<EncodeResult> results)
        throws IOException;
  }

  public static void encode(FaceEncoder encoder, List<Path> photos, Consumer each)
      throws IOException {
    for (int from = 0; from < photos.size(); from += CHUNK) {
      List<Path> part = photos.subList(from, Math.min(photos.size(), from + CHUNK));
      List<byte[]> bytes = new ArrayList<>(part.size());
      for (Path p : part) {
        bytes.add(Files.readAllBytes(p));
      }
      each.accept(
          from, part, bytes, encoder.encodeAll(bytes, EncodeMode.DETECT, Integer.MAX_VALUE));
    }
  }
}
