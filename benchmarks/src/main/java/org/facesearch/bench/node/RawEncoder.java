package org.facesearch.bench.node;

import java.util.List;
import org.facesearch.encoder.EncodeMode;
import org.facesearch.encoder.EncodeResult;
import org.facesearch.encoder.EncoderOptions;
import org.facesearch.encoder.FaceEncoder;
import org.facesearch.model.ModelPack;

/**
 * The encoder alone, in the benchmark's own JVM: the same code the {@code face_embedding} processor
 * calls ({@link FaceEncoder#encodeAll}), on the same photo bytes, with the node's inference threads
 * and batch size, and nothing around it (no HTTP, JSON, base64 or indexing). One encoder stays
 * open, so every measurement after the warm-up runs on compiled code.
 */
final class RawEncoder implements AutoCloseable {
  record Rate(int threads, int batch, long faces, long images, double seconds) {
    double facesPerSecond() {
      return faces / seconds;
    }
  }

  private final FaceEncoder encoder;
  private final int threads;
  private final int batch;

  RawEncoder(ModelPack pack, int threads, int batch) {
    this.threads = threads;
    this.batch = batch;
    this.encoder =
        FaceEncoder.open(
            pack,
            EncoderOptions.defaults()
                .withThreads(threads)
                .withBatchSize(batch)
                .withQueueSize(100_000));
  }

  /**
   * Times {@code images} handed over in groups of {@code group} (the photos of one bulk request);
   * the encoder queues every group at once, so its threads never wait for the caller.
   */
  Rate measure(List<byte[]> images, int group) {
    long t0 = System.nanoTime();
    long faces = encodeGroups(images, group);
    return new Rate(threads, batch, faces, images.size(), (System.nanoTime() - t0) / 1e9);
  }

  /** Images with at least one face; a failed image fails the measurement. */
  private long encodeGroups(List<byte[]> images, int group) {
    long faces = 0;
    for (int from = 0; from < images.size(); from += group) {
      List<EncodeResult> results =
          encoder.encodeAll(
              images.subList(from, Math.min(images.size(), from + group)), EncodeMode.DETECT, 1);
      for (EncodeResult r : results) {
        if (!r.facesOrThrow().isEmpty()) {
          faces++;
        }
      }
    }
    return faces;
  }

  @Override
  public void close() {
    encoder.close();
  }
}
