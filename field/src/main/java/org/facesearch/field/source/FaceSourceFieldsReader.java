package org.facesearch.field.source;

import java.io.IOException;
import org.apache.lucene.codecs.StoredFieldsReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.StoredFieldDataInput;
import org.apache.lucene.index.StoredFieldVisitor;
import org.apache.lucene.store.ByteArrayDataInput;
import org.apache.lucene.util.IOUtils;
import org.opensearch.index.mapper.SourceFieldMapper;

/**
 * The stored fields of one face codec segment as every reader above the codec sees them (searches,
 * GETs, updates, reindex, recovery, merges, any index reader wrapper): exactly as written (the
 * {@code _source} without the faces' vectors), except that a thread whose request asks for them
 * ({@link DerivingThreads}) gets {@code _source} with the vectors put back.
 */
final class FaceSourceFieldsReader extends StoredFieldsReader {

  private final StoredFieldsReader in;
  private final SegmentFaces faces;

  /**
   * Whether this is the segment's reader (closes the shared readers) rather than a clone or merge
   * instance.
   */
  private final boolean owner;

  FaceSourceFieldsReader(StoredFieldsReader in, SegmentFaces faces, boolean owner) {
    this.in = in;
    this.faces = faces;
    this.owner = owner;
  }

  /** The segment's stored fields as written. */
  StoredFieldsReader raw() {
    return in;
  }

  @Override
  public void document(int doc, StoredFieldVisitor visitor) throws IOException {
    if (faces.faces().isEmpty() || !DerivingThreads.current()) {
      in.document(doc, visitor);
    } else {
      in.document(doc, new DerivingVisitor(visitor, doc));
    }
  }

  @Override
  public void prefetch(int doc) throws IOException {
    in.prefetch(doc);
  }

  @Override
  public StoredFieldsReader clone() {
    return new FaceSourceFieldsReader(in.clone(), faces, false);
  }

  /**
   * The sequential reader OpenSearch's fetch phase also reads hits through (not only merges): it
   * derives as {@link #document} does. Merges of face codec segments bypass it ({@link
   * FaceSourceWriter}).
   */
  @Override
  public StoredFieldsReader getMergeInstance() {
    return new FaceSourceFieldsReader(in.getMergeInstance(), faces, false);
  }

  @Override
  public void checkIntegrity() throws IOException {
    in.checkIntegrity();
  }

  @Override
  public void close() throws IOException {
    if (owner) {
      IOUtils.close(in, faces);
    } else {
      in.close();
    }
  }

  /** Passes every field through, {@code _source} with the vectors put back. */
  private final class DerivingVisitor extends StoredFieldVisitor {
    private final StoredFieldVisitor inner;
    private final int doc;

    DerivingVisitor(StoredFieldVisitor inner, int doc) {
      this.inner = inner;
      this.doc = doc;
    }

    @Override
    public Status needsField(FieldInfo fieldInfo) throws IOException {
      return inner.needsField(fieldInfo);
    }

    @Override
    public void binaryField(FieldInfo fieldInfo, StoredFieldDataInput value) throws IOException {
      if (!SourceFieldMapper.NAME.equals(fieldInfo.name)) {
        inner.binaryField(fieldInfo, value);
        return;
      }
      byte[] stored = new byte[value.getLength()];
      value.getDataInput().readBytes(stored, 0, stored.length);
      inner.binaryField(
          fieldInfo, new StoredFieldDataInput(new ByteArrayDataInput(faces.derive(doc, stored))));
    }

    @Override
    public void binaryField(FieldInfo fieldInfo, byte[] value) throws IOException {
      inner.binaryField(
          fieldInfo,
          SourceFieldMapper.NAME.equals(fieldInfo.name) ? faces.derive(doc, value) : value);
    }

    @Override
    public void stringField(FieldInfo fieldInfo, String value) throws IOException {
      inner.stringField(fieldInfo, value);
    }

    @Override
    public void intField(FieldInfo fieldInfo, int value) throws IOException {
      inner.intField(fieldInfo, value);
    }

    @Override
    public void longField(FieldInfo fieldInfo, long value) throws IOException {
      inner.longField(fieldInfo, value);
    }

    @Override
    public void floatField(FieldInfo fieldInfo, float value) throws IOException {
      inner.floatField(fieldInfo, value);
    }

    @Override
    public void doubleField(FieldInfo fieldInfo, double value) throws IOException {
      inner.doubleField(fieldInfo, value);
    }
  }
}
