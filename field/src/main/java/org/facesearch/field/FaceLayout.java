package org.facesearch.field;

import java.io.IOException;
import org.apache.lucene.codecs.DocValuesProducer;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.DocValuesType;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.ByteArrayDataInput;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.IOSupplier;
import org.apache.lucene.util.VectorUtil;
import org.facesearch.patches.PatchEncoding;
import org.facesearch.patches.PatchMap;
import org.opensearch.index.mapper.BinaryFieldMapper;
import org.opensearch.index.mapper.KeywordFieldMapper;
import org.opensearch.index.mapper.NumberFieldMapper.NumberType;
import org.opensearch.index.mapper.ParseContext;

/**
 * How one face of a {@code face} field named {@code <name>} lies in a Lucene index; the one place
 * that writes those Lucene fields and reads them back (the mapper, the face query and the rescorer
 * ask it):
 *
 * <ul>
 *   <li>{@code <name>}: the unit embedding, a float vector field (HNSW, dot product);
 *   <li>{@code <name>.patches}: the encoded patch map ({@link PatchEncoding}), binary doc values in
 *       OpenSearch's layout (a count of values, then each value's length and bytes);
 *   <li>{@code <name>.ers}, {@code <name>.detection_score}: float points and doc values;
 *   <li>{@code <name>.model}: keyword terms and sorted-set doc values.
 * </ul>
 */
public final class FaceLayout {

  /** Sub-field names, below the face field's own name. */
  static final String PATCHES = "patches";

  static final String ERS = "ers";
  static final String DETECTION_SCORE = "detection_score";
  static final String MODEL = "model";

  private FaceLayout() {}

  /** The vector field of the face field {@code face}: its own name. */
  public static String embeddingField(String face) {
    return face;
  }

  /**
   * The binary doc values field that holds the encoded patch map of the face field {@code face}.
   */
  public static String patchesField(String face) {
    return face + "." + PATCHES;
  }

  /** The recognizability (ERS) float field of the face field {@code face}. */
  public static String ersField(String face) {
    return face + "." + ERS;
  }

  static void addEmbedding(ParseContext.Document doc, String face, float[] unit) {
    doc.addWithKey(
        face,
        new KnnFloatVectorField(embeddingField(face), unit, VectorSimilarityFunction.DOT_PRODUCT));
  }

  /**
   * Whether the document already holds a face in {@code face} (a face field holds one per
   * document).
   */
  static boolean hasFace(ParseContext.Document doc, String face) {
    return doc.getByKey(face) != null;
  }

  static void addPatches(ParseContext.Document doc, String face, byte[] encoded) {
    doc.add(new BinaryFieldMapper.CustomBinaryDocValuesField(patchesField(face), encoded));
  }

  static void addFloat(ParseContext.Document doc, String fullName, float value) {
    doc.addAll(NumberType.FLOAT.createFields(fullName, value, true, true, false, false));
  }

  /**
   * Indexes a keyword sub-field the way a default {@code keyword} mapping would: terms plus doc
   * values.
   */
  static void addKeyword(ParseContext.Document doc, String fullName, String value) {
    BytesRef bytes = new BytesRef(value);
    doc.add(new Field(fullName, bytes, KeywordFieldMapper.Defaults.FIELD_TYPE));
    doc.add(new SortedSetDocValuesField(fullName, bytes));
  }

  /** The faces of one segment, read back; see {@link StoredFaces}. */
  public static StoredFaces read(LeafReader reader, String face) throws IOException {
    return new StoredFaces(
        reader.getFloatVectorValues(embeddingField(face)),
        reader.getBinaryDocValues(patchesField(face)),
        () -> DocValues.getSortedSet(reader, face + "." + MODEL));
  }

  /**
   * The faces of one segment, read back from its codec's readers (below any index reader: the face
   * codec's stored fields put vectors back into {@code _source} from these).
   */
  public static StoredFaces read(
      KnnVectorsReader vectors, DocValuesProducer docValues, FieldInfos fields, String face)
      throws IOException {
    FieldInfo vectorField = fields.fieldInfo(embeddingField(face));
    FieldInfo patchesField = fields.fieldInfo(patchesField(face));
    return new StoredFaces(
        vectorField == null || !vectorField.hasVectorValues()
            ? null
            : vectors.getFloatVectorValues(vectorField.name),
        patchesField == null || patchesField.getDocValuesType() != DocValuesType.BINARY
            ? null
            : docValues.getBinary(patchesField),
        () -> {
          FieldInfo modelField = fields.fieldInfo(face + "." + MODEL);
          return modelField == null || modelField.getDocValuesType() != DocValuesType.SORTED_SET
              ? DocValues.emptySortedSet()
              : docValues.getSortedSet(modelField);
        });
  }

  /**
   * Reads the stored faces of one segment. Doc values iterate forward only: ask for each document
   * once, in increasing order (or make a new reader).
   */
  public static final class StoredFaces {
    private final FloatVectorValues vectors;
    private final KnnVectorValues.DocIndexIterator vectorDocs;
    private final BinaryDocValues patches;
    private final IOSupplier<SortedSetDocValues> models;
    private SortedSetDocValues modelIds;

    private StoredFaces(
        FloatVectorValues vectors, BinaryDocValues patches, IOSupplier<SortedSetDocValues> models) {
      this.models = models;
      this.vectors = vectors;
      this.vectorDocs = vectors == null ? null : vectors.iterator();
      this.patches = patches;
    }

    /**
     * The unit embedding of {@code doc}, or null when it has none (copied: readers reuse buffers).
     */
    public float[] embedding(int doc) throws IOException {
      if (vectorDocs == null) {
        return null;
      }
      int current = vectorDocs.docID();
      if (current < doc) {
        current = vectorDocs.advance(doc);
      }
      return current == doc ? vectors.vectorValue(vectorDocs.index()).clone() : null;
    }

    /**
     * The cosine of {@code doc}'s embedding to the unit vector {@code unit}, read in place (no
     * copy: stage 1 re-scores its candidates with this); the document must have an embedding.
     */
    public float cosine(int doc, float[] unit) throws IOException {
      int current =
          vectorDocs == null
              ? -1
              : vectorDocs.docID() < doc ? vectorDocs.advance(doc) : vectorDocs.docID();
      if (current != doc) {
        throw new IllegalStateException("document [" + doc + "] has no embedding");
      }
      return VectorUtil.dotProduct(unit, vectors.vectorValue(vectorDocs.index()));
    }

    /**
     * The id of the model that made {@code doc}'s face ({@code name@version}), or null when none
     * was recorded.
     */
    public String model(int doc) throws IOException {
      if (modelIds == null) {
        modelIds = models.get(); // opened on first use: stage 1 never asks
      }
      if (!modelIds.advanceExact(doc)) {
        return null;
      }
      return modelIds.lookupOrd(modelIds.nextOrd()).utf8ToString();
    }

    /** The decoded patch map of {@code doc}, or null when it has none. */
    public PatchMap patches(int doc) throws IOException {
      BytesRef encoded = encodedPatches(doc);
      return encoded == null
          ? null
          : PatchEncoding.decode(encoded.bytes, encoded.offset, encoded.length);
    }

    /**
     * The patch map of {@code doc} as stored, in the mapping's {@link PatchEncoding} (not copied:
     * valid until the next call), or null when it has none.
     */
    public BytesRef encodedPatches(int doc) throws IOException {
      if (patches == null || !patches.advanceExact(doc)) {
        return null;
      }
      BytesRef ref = patches.binaryValue();
      ByteArrayDataInput in = new ByteArrayDataInput(ref.bytes, ref.offset, ref.length);
      int count = in.readVInt();
      if (count != 1) {
        throw new IllegalStateException(
            "document [" + doc + "] holds " + count + " patch maps; a face field holds one");
      }
      int length = in.readVInt();
      return new BytesRef(ref.bytes, in.getPosition(), length);
    }
  }
}
