package org.facesearch.field.source;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.lucene.codecs.DocValuesFormat;
import org.apache.lucene.codecs.DocValuesProducer;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.IOUtils;
import org.facesearch.field.FaceLayout;
import org.opensearch.common.collect.Tuple;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.core.common.bytes.BytesArray;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.index.mapper.SeqNoFieldMapper;

/**
 * What one segment of the face codec needs to put its faces' vectors back into a document's {@code
 * _source}: the face fields its writer recorded, and its own vector and doc values readers, opened
 * the first time a request asks (most segments are never asked) and closed with the segment.
 */
final class SegmentFaces implements Closeable {

  private record Readers(KnnVectorsReader vectors, DocValuesProducer docValues) {}

  private final SegmentReadState state;
  private final KnnVectorsFormat vectorsFormat;
  private final DocValuesFormat docValuesFormat;
  private final FaceFields faces;

  /** Guarded by this. */
  private Readers readers;

  private boolean closed;

  /** The root documents of the segment (nested mappings only), found once. */
  private volatile FixedBitSet roots;

  SegmentFaces(
      SegmentReadState state,
      KnnVectorsFormat vectorsFormat,
      DocValuesFormat docValuesFormat,
      FaceFields faces) {
    this.state = state;
    this.vectorsFormat = vectorsFormat;
    this.docValuesFormat = docValuesFormat;
    this.faces = faces;
  }

  /** The face fields whose vectors this segment keeps out of {@code _source}. */
  FaceFields faces() {
    return faces;
  }

  /**
   * The stored {@code _source} of {@code doc} with the embedding and patch map of each of its faces
   * put back from the index, in the order of the document's faces (nested faces included).
   */
  byte[] derive(int doc, byte[] stored) throws IOException {
    Tuple<XContentType, Map<String, Object>> parsed =
        XContentHelper.convertToMap(new BytesArray(stored), true);
    Map<String, Object> map = parsed.v2();
    Readers open = readers();
    int start = blockStart(doc, open);
    boolean changed = false;
    for (String path : faces.paths()) {
      List<Map<String, Object>> objects = FaceSource.facesAt(map, path);
      if (objects.isEmpty()) {
        continue;
      }
      List<Object[]> indexed = indexedFaces(open, path, start, doc);
      if (indexed.size() != objects.size()) {
        throw new IllegalStateException(
            "document holds "
                + objects.size()
                + " faces in ["
                + path
                + "] in _source but "
                + indexed.size()
                + " in the index; cannot put its vectors back");
      }
      for (int i = 0; i < objects.size(); i++) {
        Map<String, Object> face = objects.get(i);
        if (face.containsKey("embedding")) {
          continue; // indexed with its vectors in _source (written before they were kept out)
        }
        face.put("embedding", indexed.get(i)[0]);
        if (indexed.get(i)[1] != null) {
          face.put("patches", indexed.get(i)[1]);
        }
        changed = true;
      }
    }
    return changed ? BytesReference.toBytes(FaceSource.write(parsed.v1(), map)) : stored;
  }

  /**
   * The first document of {@code doc}'s block: its nested documents come right before it, and only
   * root documents have a primary term (OpenSearch's own test for "not nested").
   */
  private int blockStart(int doc, Readers open) throws IOException {
    if (!faces.nested()) {
      return doc;
    }
    FixedBitSet bits = roots;
    if (bits == null) {
      FieldInfo terms = state.fieldInfos.fieldInfo(SeqNoFieldMapper.PRIMARY_TERM_NAME);
      if (terms == null) {
        throw new IllegalStateException(
            "segment ["
                + state.segmentInfo.name
                + "] holds no primary terms; cannot tell its nested documents");
      }
      bits = new FixedBitSet(state.segmentInfo.maxDoc());
      NumericDocValues values = open.docValues().getNumeric(terms);
      for (int d = values.nextDoc(); d != NumericDocValues.NO_MORE_DOCS; d = values.nextDoc()) {
        bits.set(d);
      }
      roots = bits;
    }
    return doc == 0 ? 0 : bits.prevSetBit(doc - 1) + 1;
  }

  /**
   * Embedding (list of floats) and patches (base64 or null) of each face in [start, doc], in doc
   * order.
   */
  private List<Object[]> indexedFaces(Readers open, String field, int start, int doc)
      throws IOException {
    FaceLayout.StoredFaces stored =
        FaceLayout.read(open.vectors(), open.docValues(), state.fieldInfos, field);
    List<Object[]> out = new ArrayList<>();
    for (int d = start; d <= doc; d++) {
      float[] embedding = stored.embedding(d);
      if (embedding == null) {
        continue;
      }
      List<Float> values = new ArrayList<>(embedding.length);
      for (float v : embedding) {
        values.add(v);
      }
      BytesRef patches = stored.encodedPatches(d);
      String encoded =
          patches == null
              ? null
              : Base64.getEncoder()
                  .encodeToString(
                      Arrays.copyOfRange(
                          patches.bytes, patches.offset, patches.offset + patches.length));
      out.add(new Object[] {values, encoded});
    }
    return out;
  }

  private synchronized Readers readers() throws IOException {
    if (closed) {
      throw new AlreadyClosedException("segment [" + state.segmentInfo.name + "] is closed");
    }
    if (readers == null) {
      KnnVectorsReader vectors = vectorsFormat.fieldsReader(state);
      boolean success = false;
      try {
        readers = new Readers(vectors, docValuesFormat.fieldsProducer(state));
        success = true;
      } finally {
        if (!success) {
          IOUtils.closeWhileHandlingException(vectors);
        }
      }
    }
    return readers;
  }

  @Override
  public synchronized void close() throws IOException {
    closed = true;
    if (readers != null) {
      IOUtils.close(readers.vectors(), readers.docValues());
    }
  }
}
