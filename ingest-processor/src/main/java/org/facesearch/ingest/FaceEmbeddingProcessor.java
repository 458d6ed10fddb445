package org.facesearch.ingest;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.facesearch.encoder.EncodeMode;
import org.facesearch.encoder.EncodeResult;
import org.facesearch.encoder.EncodedFace;
import org.facesearch.encoder.FaceModel;
import org.facesearch.encoder.FaceModels;
import org.facesearch.encoder.InferenceRejectedException;
import org.facesearch.image.ImageRejectedException;
import org.facesearch.image.ImageText;
import org.facesearch.option.EnumOption;
import org.facesearch.patches.PatchEncoding;
import org.opensearch.common.util.concurrent.ThreadContext;
import org.opensearch.core.concurrency.OpenSearchRejectedExecutionException;
import org.opensearch.ingest.AbstractBatchingProcessor;
import org.opensearch.ingest.ConfigurationUtils;
import org.opensearch.ingest.IngestDocument;
import org.opensearch.ingest.IngestDocumentWrapper;
import org.opensearch.ingest.Processor;

/**
 * The {@code face_embedding} ingest processor: finds the faces in a base64 photo and writes, under
 * {@code target_field}, each face's embedding, patch map (float16, base64), recognizability (ERS),
 * box, landmarks, detection score and model, for a {@code face} field. Bulk requests are encoded in
 * batches: the faces of several photos share model runs.
 */
public final class FaceEmbeddingProcessor extends AbstractBatchingProcessor {

  public static final String TYPE = "face_embedding";

  /**
   * Key of each face inside the array that {@code faces: all} writes (the nested mapping's face
   * field).
   */
  public static final String NESTED_FACE_KEY = "face";

  private final String field;
  private final String targetField;
  private final FaceModel model;
  private final EncodeMode mode;
  private final boolean allFaces;
  private final int minFaceSize;
  private final boolean skipWithoutFace;
  private final boolean removeImage;
  private final boolean ignoreMissing;

  /** The node's thread context, restored around the work that completes on an inference thread. */
  private final ThreadContext threadContext;

  FaceEmbeddingProcessor(
      String tag,
      String description,
      int batchSize,
      String field,
      String targetField,
      FaceModel model,
      EncodeMode mode,
      boolean allFaces,
      int minFaceSize,
      boolean skipWithoutFace,
      boolean removeImage,
      boolean ignoreMissing,
      ThreadContext threadContext) {
    super(tag, description, batchSize);
    this.threadContext = threadContext;
    this.field = field;
    this.targetField = targetField;
    this.model = model;
    this.mode = mode;
    this.allFaces = allFaces;
    this.minFaceSize = minFaceSize;
    this.skipWithoutFace = skipWithoutFace;
    this.removeImage = removeImage;
    this.ignoreMissing = ignoreMissing;
  }

  @Override
  public String getType() {
    return TYPE;
  }

  /**
   * Encodes on the calling thread, waiting for the inference pool: for callers that must have the
   * document back at once. The ingest service uses {@link #execute(IngestDocument, BiConsumer)} and
   * {@link #subBatchExecute}, which do not wait.
   */
  @Override
  public IngestDocument execute(IngestDocument document) {
    byte[] image = image(document);
    if (image == null) {
      return document;
    }
    List<EncodedFace> faces;
    try {
      faces = model.encoder().encode(image, mode, allFaces ? Integer.MAX_VALUE : 1);
    } catch (RuntimeException e) {
      throw failure(e);
    }
    write(document, faces);
    return document;
  }

  /**
   * Hands the photo to the inference pool and returns: the write thread that runs the pipeline is
   * free for other indexing while the models run, and {@code handler} is called from the inference
   * thread (with the caller's thread context) once the faces are written. A full inference queue is
   * a 429 for this document.
   */
  @Override
  public void execute(IngestDocument document, BiConsumer<IngestDocument, Exception> handler) {
    byte[] image;
    try {
      image = image(document);
    } catch (Exception e) {
      handler.accept(null, e);
      return;
    }
    if (image == null) {
      handler.accept(document, null);
      return;
    }
    Supplier<ThreadContext.StoredContext> caller = threadContext.newRestorableContext(false);
    model
        .encoder()
        .encodeAsync(image, mode, allFaces ? Integer.MAX_VALUE : 1)
        .whenComplete((faces, failure) -> {
          try (ThreadContext.StoredContext restored = caller.get()) {
            if (failure != null) {
              handler.accept(null, failure(failure));
              return;
            }
            try {
              write(document, faces);
            } catch (Exception e) {
              handler.accept(null, e);
              return;
            }
            handler.accept(document, null);
          }
        });
  }

  /**
   * Encodes the photos of a sub-batch together (their faces share model runs) without waiting: the
   * write thread returns at once and {@code handler} is called from the inference thread. A group
   * of photos that the inference queue cannot take fails with a 429 per document, the others go on.
   */
  @Override
  protected void subBatchExecute(
      List<IngestDocumentWrapper> documents, Consumer<List<IngestDocumentWrapper>> handler) {
    List<byte[]> images = new ArrayList<>();
    List<IngestDocumentWrapper> encoded = new ArrayList<>();
    for (IngestDocumentWrapper wrapper : documents) {
      if (wrapper.getException() != null || wrapper.getIngestDocument() == null) {
        continue;
      }
      try {
        byte[] image = image(wrapper.getIngestDocument());
        if (image != null) {
          images.add(image);
          encoded.add(wrapper);
        }
      } catch (Exception e) {
        wrapper.update(wrapper.getIngestDocument(), e);
      }
    }
    if (images.isEmpty()) {
      handler.accept(documents);
      return;
    }
    Supplier<ThreadContext.StoredContext> caller = threadContext.newRestorableContext(false);
    model
        .encoder()
        .encodeAllAsync(images, mode, allFaces ? Integer.MAX_VALUE : 1)
        .whenComplete((results, failure) -> {
          try (ThreadContext.StoredContext restored = caller.get()) {
            for (int i = 0; i < encoded.size(); i++) {
              IngestDocumentWrapper wrapper = encoded.get(i);
              try {
                if (failure != null) {
                  throw failure(failure);
                }
                EncodeResult result = results.get(i);
                if (!result.ok()) {
                  throw failure(result.failure());
                }
                write(wrapper.getIngestDocument(), result.faces());
              } catch (Exception e) {
                wrapper.update(wrapper.getIngestDocument(), e);
              }
            }
            handler.accept(documents);
          }
        });
  }

  /**
   * What a document fails with when its photo could not be encoded: a full inference queue is a 429
   * that says to retry; a photo that is not a usable image a 400 naming the field; anything else as
   * it is.
   */
  private RuntimeException failure(Throwable thrown) {
    Throwable cause =
        thrown instanceof CompletionException && thrown.getCause() != null
            ? thrown.getCause()
            : thrown;
    if (cause instanceof InferenceRejectedException e) {
      return new OpenSearchRejectedExecutionException(
          "[" + TYPE + "] " + e.getMessage() + "; retry later");
    }
    if (cause instanceof ImageRejectedException e) {
      return new IllegalArgumentException("[" + field + "] " + e.getMessage(), e);
    }
    if (cause instanceof RuntimeException e) {
      return e;
    }
    return new IllegalStateException("face inference failed: " + cause, cause);
  }

  /**
   * The decoded photo of a document, or null when it has none and {@code ignore_missing} is set.
   */
  private byte[] image(IngestDocument document) {
    Object value = document.getFieldValue(field, Object.class, true);
    if (value == null) {
      if (ignoreMissing) {
        return null;
      }
      throw new IllegalArgumentException(
          "[" + field + "] is missing (set ignore_missing to index such documents unchanged)");
    }
    if (!(value instanceof String text)) {
      throw new IllegalArgumentException(
          "["
              + field
              + "] must be a base64 string of an image, got "
              + value.getClass().getSimpleName());
    }
    return ImageText.decode(field, text);
  }

  private void write(IngestDocument document, List<EncodedFace> found) {
    List<EncodedFace> faces = new ArrayList<>();
    for (EncodedFace face : found) {
      if (mode == EncodeMode.ALIGNED || Math.min(face.box()[2], face.box()[3]) >= minFaceSize) {
        faces.add(face);
      }
    }
    if (faces.isEmpty()) {
      if (!skipWithoutFace) {
        String why =
            found.isEmpty()
                ? "no face found"
                : String.format(
                    Locale.ROOT,
                    "no face of at least %d pixels found (the largest was %.0f)",
                    minFaceSize,
                    Math.min(found.get(0).box()[2], found.get(0).box()[3]));
        throw new IllegalArgumentException(
            "["
                + field
                + "]: "
                + why
                + " (set on_no_face to skip to index such documents without faces)");
      }
    } else if (allFaces) {
      List<Map<String, Object>> all = new ArrayList<>(faces.size());
      for (EncodedFace face : faces) {
        all.add(Map.of(NESTED_FACE_KEY, fields(face)));
      }
      document.setFieldValue(targetField, all);
    } else {
      document.setFieldValue(targetField, fields(faces.get(0)));
    }
    if (removeImage) {
      document.removeField(field);
    }
  }

  /**
   * One face as the document receives it. Numbers are written as lists, which every ingest document
   * can render and copy (_simulate included), rather than float arrays.
   */
  private Map<String, Object> fields(EncodedFace face) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("embedding", floats(face.embedding(), 0, face.embedding().length));
    out.put(
        "patches",
        Base64.getEncoder().encodeToString(PatchEncoding.FLOAT16.encode(face.patchMap())));
    Float ers = model.ers(face.embedding());
    if (ers != null) {
      out.put("ers", ers);
    }
    out.put("box", floats(face.box(), 0, face.box().length));
    float[] landmarks = face.landmarks();
    List<List<Float>> points = new ArrayList<>(landmarks.length / 2);
    for (int i = 0; i < landmarks.length; i += 2) {
      points.add(floats(landmarks, i, i + 2));
    }
    out.put("landmarks", points);
    out.put("detection_score", face.detectionScore());
    out.put("model", model.id());
    return out;
  }

  private static List<Float> floats(float[] values, int from, int to) {
    List<Float> out = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      out.add(values[i]);
    }
    return out;
  }

  /**
   * Creates processors from pipeline definitions; an unknown model fails when the pipeline is
   * created.
   */
  public static final class Factory extends AbstractBatchingProcessor.Factory {

    private final FaceModels models;
    private final int defaultBatchSize;
    private final ThreadContext threadContext;

    /**
     * @param threadContext the node's ({@code Processor.Parameters#threadContext}): processors
     *     finish documents on inference threads and restore the request's context there
     */
    public Factory(FaceModels models, int defaultBatchSize, ThreadContext threadContext) {
      super(TYPE);
      this.models = models;
      this.defaultBatchSize = defaultBatchSize;
      this.threadContext = Objects.requireNonNull(threadContext, "threadContext");
    }

    @Override
    public AbstractBatchingProcessor create(
        Map<String, Processor.Factory> factories,
        String tag,
        String description,
        Map<String, Object> config)
        throws Exception {
      if (!config.containsKey(BATCH_SIZE_FIELD)) {
        config.put(BATCH_SIZE_FIELD, defaultBatchSize);
      }
      return super.create(factories, tag, description, config);
    }

    @Override
    protected AbstractBatchingProcessor newProcessor(
        String tag, String description, int batchSize, Map<String, Object> config) {
      String field = ConfigurationUtils.readStringProperty(TYPE, tag, config, "field");
      String targetField =
          ConfigurationUtils.readStringProperty(TYPE, tag, config, "target_field", "face");
      String modelName =
          ConfigurationUtils.readStringProperty(TYPE, tag, config, "model", "default");
      String modeName = ConfigurationUtils.readStringProperty(TYPE, tag, config, "mode", "detect");
      String faces = ConfigurationUtils.readStringProperty(TYPE, tag, config, "faces", "largest");
      int minFaceSize = ConfigurationUtils.readIntProperty(TYPE, tag, config, "min_face_size", 20);
      String onNoFace =
          ConfigurationUtils.readStringProperty(TYPE, tag, config, "on_no_face", "fail");
      boolean removeImage =
          ConfigurationUtils.readBooleanProperty(TYPE, tag, config, "remove_image", false);
      boolean ignoreMissing =
          ConfigurationUtils.readBooleanProperty(TYPE, tag, config, "ignore_missing", false);
      FaceModel model;
      try {
        model = models.get(modelName);
      } catch (IllegalArgumentException e) {
        throw ConfigurationUtils.newConfigurationException(TYPE, tag, "model", e.getMessage());
      }
      EncodeMode mode;
      try {
        mode = EnumOption.parse("mode", modeName, EncodeMode.class);
      } catch (IllegalArgumentException e) {
        throw ConfigurationUtils.newConfigurationException(
            TYPE,
            tag,
            "mode",
            "must be one of "
                + EnumOption.wireNames(EncodeMode.class)
                + ", got ["
                + modeName
                + "]");
      }
      if (!faces.equals("largest") && !faces.equals("all")) {
        throw ConfigurationUtils.newConfigurationException(
            TYPE, tag, "faces", "must be one of [largest, all], got [" + faces + "]");
      }
      if (!onNoFace.equals("fail") && !onNoFace.equals("skip")) {
        throw ConfigurationUtils.newConfigurationException(
            TYPE, tag, "on_no_face", "must be one of [fail, skip], got [" + onNoFace + "]");
      }
      if (minFaceSize < 1) {
        throw ConfigurationUtils.newConfigurationException(
            TYPE, tag, "min_face_size", "must be at least 1, got [" + minFaceSize + "]");
      }
      if (field.isEmpty()) {
        throw ConfigurationUtils.newConfigurationException(
            TYPE, tag, "field", "must name the field that holds the photo, got an empty string");
      }
      if (targetField.isEmpty()) {
        throw ConfigurationUtils.newConfigurationException(
            TYPE, tag, "target_field", "must name the face field to write, got an empty string");
      }
      return new FaceEmbeddingProcessor(
          tag,
          description,
          batchSize,
          field,
          targetField,
          model,
          mode,
          faces.equals("all"),
          minFaceSize,
          onNoFace.equals("skip"),
          removeImage,
          ignoreMissing,
          threadContext);
    }
  }
}
