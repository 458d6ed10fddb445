package org.facesearch.rescore;

import java.io.IOException;

import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.store.ByteArrayDataInput;
import org.apache.lucene.util.BytesRef;
import org.facesearch.emd.FacePatches;
import org.facesearch.patches.PatchEncoding;
import org.facesearch.patches.PatchMap;

/**
 * Reads gallery faces of one segment; each doc is asked for once, in increasing order: the unit embedding from the vector
 * field and the patch map from {@code <field>.patches} doc values (OpenSearch's binary doc values
 * layout: a count, then each value's length and bytes).
 */
final class GalleryFaces {

  private final FloatVectorValues vectors;
  private final KnnVectorValues.DocIndexIterator vectorDocs;
  private final BinaryDocValues patches;

  GalleryFaces(LeafReader reader, String field) throws IOException {
    this.vectors = reader.getFloatVectorValues(field);
    this.vectorDocs = vectors == null ? null : vectors.iterator();
    this.patches = reader.getBinaryDocValues(field + ".patches");
  }

  /** The unit embedding of {@code doc}, or null when it has none (copied: readers reuse buffers). */
  float[] embedding(int doc) throws IOException {
    if (vectorDocs == null) {
      return null;
    }
    int current = vectorDocs.docID();
    if (current < doc) {
      current = vectorDocs.advance(doc);
    }
    return current == doc ? vectors.vectorValue(vectorDocs.index()).clone() : null;
  }

  /** The face of {@code doc} as the EMD scorer reads it, or null when it has no patches or embedding. */
  FacePatches face(int doc) throws IOException {
    float[] embedding = embedding(doc);
    if (embedding == null || patches == null || !patches.advanceExact(doc)) {
      return null;
    }
    BytesRef ref = patches.binaryValue();
    ByteArrayDataInput in = new ByteArrayDataInput(ref.bytes, ref.offset, ref.length);
    int count = in.readVInt();
    if (count != 1) {
      throw new IllegalStateException("document [" + doc + "] holds " + count + " patch maps; a face field holds one");
    }
    int length = in.readVInt();
    PatchMap map = PatchEncoding.decode(ref.bytes, in.getPosition(), length);
    return Faces.patches(map, embedding);
  }
}
