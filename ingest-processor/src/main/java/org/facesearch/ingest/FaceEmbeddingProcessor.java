package org.facesearch.ingest;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.facesearch.encoder.EncodeMode;
import org.facesearch.encoder.EncodeResult;
import org.facesearch.encoder.EncodedFace;
import org.facesearch.encoder.FaceModel;
import org.facesearch.encoder.FaceModels;
import org.facesearch.encoder.InferenceRejectedException;
import org.facesearch.option.EnumOption;
import org.facesearch.patches.PatchEncoding;
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

  /** Key of each face inside the array that {@code faces: all} writes (the nested mapping's face field). */
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

  FaceEmbeddingProcessor(String tag, String description, int batchSize, String field, String targetField, FaceModel model,
      EncodeMode mode, boolean allFaces, int minFaceSize, boolean skipWithoutFace, boolean removeImage, boolean ignoreMissing) {
    super(tag, description, batchSize);
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

  @Override
  public IngestDocument execute(IngestDocument document) {
    byte[] image = image(document);
    if (image == null) {
      return document;
    }
    List<EncodedFace> faces;
    try {
      faces = model.encoder().encode(image, mode, allFaces ? Integer.MAX_VALUE : 1);
    } catch (InferenceRejectedException e) {
      throw rejected(e);
    }
    write(document, faces);
    return document;
  }

  @Override
  protected void subBatchExecute(List<IngestDocumentWrapper> documents, Consumer<List<IngestDocumentWrapper>> handler) {
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
    if (!images.isEmpty()) {
      List<EncodeResult> results;
      try {
        results = model.encoder().encodeAll(images, mode, allFaces ? Integer.MAX_VALUE : 1);
      } catch (InferenceRejectedException e) {
        for (IngestDocumentWrapper wrapper : encoded) {
          wrapper.update(wrapper.getIngestDocument(), rejected(e));
        }
        handler.accept(documents);
        return;
      }
      for (int i = 0; i < encoded.size(); i++) {
        IngestDocumentWrapper wrapper = encoded.get(i);
        try {
          write(wrapper.getIngestDocument(), results.get(i).facesOrThrow());
        } catch (Exception e) {
          wrapper.update(wrapper.getIngestDocument(), e);
        }
      }
    }
    handler.accept(documents);
  }

  private static OpenSearchRejectedExecutionException rejected(InferenceRejectedException e) {
    return new OpenSearchRejectedExecutionException("[face_embedding] " + e.getMessage() + "; retry later");
  }

  /** The decoded photo of a document, or null when it has none and {@code ignore_missing} is set. */
  private byte[] image(IngestDocument document) {
    Object value = document.getFieldValue(field, Object.class, true);
    if (value == null) {
      if (ignoreMissing) {
        return null;
      }
      throw new IllegalArgumentException("[" + field + "] is missing (set ignore_missing to index such documents unchanged)");
    }
    if (!(value instanceof String text)) {
      throw new IllegalArgumentException("[" + field + "] must be a base64 string of an image, got " + value.getClass().getSimpleName());
    }
    try {
      return Base64.getMimeDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("[" + field + "] is not valid base64: " + e.getMessage(), e);
    }
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
        String why = found.isEmpty() ? "no face found" : String.format(Locale.ROOT,
            "no face of at least %d pixels found (the largest was %.0f)", minFaceSize, Math.min(found.get(0).box()[2], found.get(0).box()[3]));
        throw new IllegalArgumentException("[" + field + "]: " + why + " (set on_no_face to skip to index such documents without faces)");
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
    out.put("patches", Base64.getEncoder().encodeToString(PatchEncoding.FLOAT16.encode(face.patchMap())));
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

  /** Creates processors from pipeline definitions; an unknown model fails when the pipeline is created. */
  public static final class Factory extends AbstractBatchingProcessor.Factory {

    private final FaceModels models;
    private final int defaultBatchSize;

    public Factory(FaceModels models, int defaultBatchSize) {
      super(TYPE);
      this.models = models;
      this.defaultBatchSize = defaultBatchSize;
    }

    @Override
    public AbstractBatchingProcessor create(Map<String, Processor.Factory> factories, String tag, String description,
        Map<String, Object> config) throws Exception {
      if (!config.containsKey(BATCH_SIZE_FIELD)) {
        config.put(BATCH_SIZE_FIELD, defaultBatchSize);
      }
      return super.create(factories, tag, description, config);
    }

    @Override
    protected AbstractBatchingProcessor newProcessor(String tag, String description, int batchSize, Map<String, Object> config) {
      String field = ConfigurationUtils.readStringProperty(TYPE, tag, config, "field");
      String targetField = ConfigurationUtils.readStringProperty(TYPE, tag, config, "target_field", "face");
      String modelName = ConfigurationUtils.readStringProperty(TYPE, tag, config, "model", "default");
      String modeName = ConfigurationUtils.readStringProperty(TYPE, tag, config, "mode", "detect");
      String faces = ConfigurationUtils.readStringProperty(TYPE, tag, config, "faces", "largest");
      int minFaceSize = ConfigurationUtils.readIntProperty(TYPE, tag, config, "min_face_size", 20);
      String onNoFace = ConfigurationUtils.readStringProperty(TYPE, tag, config, "on_no_face", "fail");
      boolean removeImage = ConfigurationUtils.readBooleanProperty(TYPE, tag, config, "remove_image", false);
      boolean ignoreMissing = ConfigurationUtils.readBooleanProperty(TYPE, tag, config, "ignore_missing", false);
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
        throw ConfigurationUtils.newConfigurationException(TYPE, tag, "mode",
            "must be one of " + EnumOption.wireNames(EncodeMode.class) + ", got [" + modeName + "]");
      }
      if (!faces.equals("largest") && !faces.equals("all")) {
        throw ConfigurationUtils.newConfigurationException(TYPE, tag, "faces", "must be one of [largest, all], got [" + faces + "]");
      }
      if (!onNoFace.equals("fail") && !onNoFace.equals("skip")) {
        throw ConfigurationUtils.newConfigurationException(TYPE, tag, "on_no_face", "must be one of [fail, skip], got [" + onNoFace + "]");
      }
      if (minFaceSize < 1) {
        throw ConfigurationUtils.newConfigurationException(TYPE, tag, "min_face_size", "must be at least 1, got [" + minFaceSize + "]");
      }
      return new FaceEmbeddingProcessor(tag, description, batchSize, field, targetField, model, mode, faces.equals("all"),
          minFaceSize, onNoFace.equals("skip"), removeImage, ignoreMissing);
    }
  }
}
