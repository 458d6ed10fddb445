package org.facesearch.plugin.recognizability;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.facesearch.encoder.EncodedFace;
import org.facesearch.encoder.FaceModel;
import org.facesearch.image.RgbImage;
import org.facesearch.recognizability.Degradations;
import org.facesearch.recognizability.UiCentroids;

/**
 * The direct way to a UI centroid (docs/algorithms.md section 5): the largest face of each posted
 * photo is aligned, degraded {@code copies} times by the chosen steps of {@link
 * Degradations#heavy}, the degraded crops are embedded, and their normalised mean is the centroid.
 */
final class DirectCentroid {

  private DirectCentroid() {}

  /**
   * Copy {@code c} of image {@code i} is degraded with {@code new Random(randomSeed(seed, i, c))},
   * so a request gives the same centroid every time and anyone can repeat it.
   */
  static long randomSeed(long seed, int image, int copy) {
    return seed * 1_000_003L + image * (long) CentroidRequest.MAX_COPIES + copy;
  }

  static CentroidResult compute(FaceModel model, CentroidRequest request) {
    List<RgbImage> clean = new ArrayList<>();
    List<float[]> cleanEmbeddings = new ArrayList<>();
    List<Integer> withoutFace = new ArrayList<>();
    List<RgbImage> degraded = new ArrayList<>();
    for (int i = 0; i < request.images().size(); i++) {
      List<EncodedFace> faces;
      try {
        faces = model.encoder().encode(request.images().get(i), request.mode(), 1);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("[images][" + i + "] " + e.getMessage(), e);
      }
      if (faces.isEmpty()) {
        withoutFace.add(i);
        continue;
      }
      EncodedFace face = faces.get(0);
      clean.add(face.alignedFace());
      cleanEmbeddings.add(face.embedding());
      for (int c = 0; c < request.copies(); c++) {
        degraded.add(
            Degradations.heavy(
                face.alignedFace(),
                new Random(randomSeed(request.seed(), i, c)),
                request.degradations()));
      }
    }
    if (clean.isEmpty()) {
      throw new IllegalArgumentException(
          "[images] no face was found in any of the " + request.images().size() + " images");
    }
    List<float[]> embeddings =
        model.encoder().embedAligned(degraded).stream().map(EncodedFace::embedding).toList();
    float[] centroid = UiCentroids.mean(embeddings);

    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("images", request.images().size());
    stats.put("faces", clean.size());
    stats.put("images_without_face", withoutFace);
    stats.put("degradations", request.degradations().stream().map(Degradations.Step::id).toList());
    stats.put("copies", request.copies());
    stats.put("seed", request.seed());
    stats.put("degraded_faces", embeddings.size());
    stats.put("ers_of_degraded_faces", CentroidResult.ersSummary(centroid, embeddings));
    stats.put("ers_of_clean_faces", CentroidResult.ersSummary(centroid, cleanEmbeddings));
    stats.put("cosine_distance_to_current", CentroidResult.distanceToCurrent(model, centroid));

    String source =
        String.format(
            Locale.ROOT,
            "Direct method, made %s by POST _plugins/face/recognizability/_centroid: the largest face of each of %d posted photos "
                + "(%d without a face), aligned by model %s, %d copies of each degraded by [%s] (seed %d), embedded and averaged (%d faces).",
            LocalDate.now(ZoneOffset.UTC),
            request.images().size(),
            withoutFace.size(),
            model.id(),
            request.copies(),
            request.degradations().stream()
                .map(Degradations.Step::id)
                .collect(Collectors.joining(", ")),
            request.seed(),
            embeddings.size());
    return new CentroidResult(centroid, stats, source);
  }
}
