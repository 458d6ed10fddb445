package org.facesearch.queryface;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.facesearch.encoder.EncodeMode;
import org.facesearch.encoder.EncodedFace;
import org.facesearch.encoder.FaceModel;
import org.facesearch.encoder.FaceModels;
import org.facesearch.encoder.InferenceRejectedException;
import org.facesearch.image.ImageRejectedException;
import org.facesearch.patches.PatchEncoding;
import org.facesearch.recognizability.CellOcclusion;
import org.facesearch.recognizability.Recognizability;
import org.facesearch.verification.VerificationCalibration;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.common.util.concurrent.ThreadContext;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.concurrency.OpenSearchRejectedExecutionException;

/**
 * Encodes query faces with the node's models: one image gives its largest face; several images of
 * one person give their ERS-weighted template. Images are cached by content, so a repeated image,
 * and the two stages of one search, cost one encoding.
 */
public final class ModelQueryFaces implements QueryFaces {

  /** The node setting that bounds the photos of one template. */
  public static final String MAX_IMAGES_SETTING = "plugins.face.query.max_images";

  /**
   * Default bound on the photos of one template: 32 LFW-sized photos encode in about a second on
   * one inference thread (about 30 ms each), and a template of one person gains little from more.
   */
  public static final int DEFAULT_MAX_IMAGES = 32;

  private final Supplier<FaceModels> models;
  private final QueryFaceCache<EncodedFace> cache;
  private volatile int maxImages = DEFAULT_MAX_IMAGES;
  private volatile ThreadContext threadContext;

  /**
   * @param models the node's models, null until the node has loaded them (the face query's parser
   *     exists before the node's components do)
   * @param cacheSize the most query images whose encodings are kept
   * @param expireAfterAccess how long an encoding not asked for again is kept
   */
  public ModelQueryFaces(Supplier<FaceModels> models, int cacheSize, TimeValue expireAfterAccess) {
    this.models = models;
    this.cache = new QueryFaceCache<>(cacheSize, expireAfterAccess);
  }

  /**
   * Sets the most photos one query's {@code images} may hold ({@value #MAX_IMAGES_SETTING},
   * dynamic).
   */
  public void maxImages(int maxImages) {
    if (maxImages < 1) {
      throw new IllegalArgumentException(
          "[" + MAX_IMAGES_SETTING + "] must be at least 1, got [" + maxImages + "]");
    }
    this.maxImages = maxImages;
  }

  /**
   * The node's thread context, through which {@link #respondWithHeader} reaches the answer of the
   * request being served.
   */
  public void respondThrough(ThreadContext context) {
    this.threadContext = context;
  }

  @Override
  public void respondWithHeader(String name, String value) {
    ThreadContext context = threadContext;
    if (context != null) {
      context.addResponseHeader(name, value);
    }
  }

  @Override
  public Verification verification(String modelName) {
    FaceModels loaded = models.get();
    if (loaded == null) {
      throw new IllegalStateException("the face-search plugin has not started its models");
    }
    FaceModel model;
    try {
      model = loaded.get(modelName);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("[model] " + e.getMessage(), e);
    }
    VerificationCalibration calibration = model.verification();
    if (calibration == null) {
      throw new IllegalArgumentException(
          "model ["
              + model.id()
              + "] has no verification calibration, so a false-match rate cannot be turned into "
              + "a threshold: give [min_similarity] as a cosine, or calibrate the pack (docs/encoder.md)");
    }
    return new Verification(model.id(), calibration);
  }

  @Override
  public void encode(FaceInput input, ActionListener<QueryFace> listener) {
    int most = maxImages;
    if (input.template() && input.images().size() > most) {
      listener.onFailure(
          new IllegalArgumentException(
              "[images] holds "
                  + input.images().size()
                  + " photos, more than ["
                  + MAX_IMAGES_SETTING
                  + "] allows ("
                  + most
                  + "): send fewer photos of the person, or raise the setting"));
      return;
    }
    FaceModels loaded = models.get();
    if (loaded == null) {
      listener.onFailure(
          new IllegalStateException("the face-search plugin has not started its models"));
      return;
    }
    FaceModel model;
    try {
      model = loaded.get(input.model());
    } catch (IllegalArgumentException e) {
      listener.onFailure(new IllegalArgumentException("[model] " + e.getMessage(), e));
      return;
    }
    if (input.embedding() != null) {
      EmbeddingFaces.encode(input, model.ersThreshold(), listener);
      return;
    }
    List<CompletableFuture<EncodedFace>> faces = new ArrayList<>();
    try {
      for (int i = 0; i < input.images().size(); i++) {
        String what = input.template() ? "[images][" + i + "]" : "[image]";
        faces.add(named(face(model, input.mode(), input.images().get(i), what), what));
      }
    } catch (RuntimeException e) {
      listener.onFailure(e);
      return;
    }
    CompletableFuture.allOf(faces.toArray(new CompletableFuture<?>[0]))
        .whenComplete((ignored, failure) -> {
          if (failure != null) {
            listener.onFailure(unwrap(failure));
            return;
          }
          QueryFace face;
          try {
            List<EncodedFace> encoded = new ArrayList<>();
            for (CompletableFuture<EncodedFace> f : faces) {
              encoded.add(f.join());
            }
            face = input.template() ? template(model, encoded) : single(model, encoded.get(0));
          } catch (RuntimeException e) {
            listener.onFailure(e);
            return;
          }
          listener.onResponse(face);
        });
  }

  private CompletableFuture<EncodedFace> face(
      FaceModel model, EncodeMode mode, byte[] bytes, String what) {
    String key = model.id() + "/" + mode + "/" + sha256(bytes);
    return cache.get(
        key,
        () ->
            model
                .encoder()
                .encodeAsync(bytes, mode, 1)
                .thenApply(found -> {
                  if (found.isEmpty()) {
                    throw new IllegalArgumentException(what + ": no face found in the query image");
                  }
                  return found.get(0);
                }));
  }

  /**
   * {@code face}, failing with a message that names the option when its photo is not a usable
   * image.
   */
  private static CompletableFuture<EncodedFace> named(
      CompletableFuture<EncodedFace> face, String what) {
    return face.handle((encoded, failure) -> {
      if (failure == null) {
        return encoded;
      }
      Throwable cause =
          failure instanceof CompletionException && failure.getCause() != null
              ? failure.getCause()
              : failure;
      if (cause instanceof ImageRejectedException e) {
        throw new IllegalArgumentException(what + " " + e.getMessage(), e);
      }
      throw failure instanceof CompletionException c ? c : new CompletionException(failure);
    });
  }

  private static QueryFace single(FaceModel model, EncodedFace face) {
    return new QueryFace(
        face.embedding(),
        model.ers(face.embedding()),
        model.ersThreshold(),
        PatchEncoding.FLOAT16.encode(face.patchMap()),
        model.id(),
        occlusion(face),
        face.paddingShares());
  }

  /**
   * The ERS-weighted template (docs/algorithms.md section 5). When no image reaches the threshold
   * the template is unrecognizable: its ERS is the best image's, below the threshold, so the
   * query's recognizability gate decides; its embedding is then the plain mean, used only with
   * {@code on_unrecognizable_query: ignore}. Stage 2 uses the patches of the most recognizable
   * image.
   */
  private static QueryFace template(FaceModel model, List<EncodedFace> faces) {
    Float threshold = model.ersThreshold();
    List<float[]> embeddings = new ArrayList<>();
    List<Float> ers = new ArrayList<>();
    int best = 0;
    for (int i = 0; i < faces.size(); i++) {
      Float e = model.ers(faces.get(i).embedding());
      if (e == null || threshold == null) {
        throw new IllegalArgumentException(
            "[images]: model ["
                + model.id()
                + "] has no calibrated recognizability, which a template needs");
      }
      embeddings.add(faces.get(i).embedding());
      ers.add(e);
      if (e > ers.get(best)) {
        best = i;
      }
    }
    float[] weighted = Recognizability.template(embeddings, ers, threshold);
    float templateErs;
    if (weighted == null) {
      weighted =
          Recognizability.template(embeddings, java.util.Collections.nCopies(ers.size(), 1f), 0f);
      templateErs = ers.get(best);
    } else {
      templateErs = model.ers(weighted);
    }
    return new QueryFace(
        weighted,
        templateErs,
        threshold,
        PatchEncoding.FLOAT16.encode(faces.get(best).patchMap()),
        model.id(),
        occlusion(faces.get(best)),
        faces.get(best).paddingShares());
  }

  /**
   * Per patch cell, the flat (painted-over) share of the aligned face (stage 2's occlusion
   * evidence).
   */
  private static float[] occlusion(EncodedFace face) {
    return CellOcclusion.flatShares(face.alignedFace(), face.gridH(), face.gridW());
  }

  private static Exception unwrap(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof InferenceRejectedException rejected) {
      return new OpenSearchRejectedExecutionException(
          "[face] query image: " + rejected.getMessage() + "; retry later");
    }
    return cause instanceof Exception e ? e : new RuntimeException(cause);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** The query face cache's entries and counters on this node. */
  public QueryFaceCache.Stats cacheStats() {
    return cache.stats();
  }

  /**
   * Forgets every cached query face: query photos are biometric data, and a user who clears caches
   * (after erasing a person's data, say) expects no encoding of that person's photos to stay
   * behind.
   */
  public void clearCache() {
    cache.clear();
  }
}
