package org.facesearch.field.source;

import java.io.IOException;
import java.util.Collection;
import java.util.function.Supplier;
import org.apache.lucene.codecs.StoredFieldsReader;
import org.apache.lucene.codecs.StoredFieldsWriter;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.MergeState;
import org.apache.lucene.index.SegmentInfo;
import org.apache.lucene.index.StoredFieldDataInput;
import org.apache.lucene.util.Accountable;
import org.apache.lucene.util.BytesRef;
import org.opensearch.core.common.bytes.BytesArray;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.index.mapper.SourceFieldMapper;

/**
 * Writes a face codec segment's stored fields: each {@code _source} without the vectors of the
 * faces of the index's mapping, whether it comes from a new document or from a merge, and records
 * in the segment which face fields those are ({@link FaceSourceFormat#record}).
 */
final class FaceSourceWriter extends StoredFieldsWriter {

  private final StoredFieldsWriter in;
  private final SegmentInfo segment;
  private final Supplier<FaceFields> mapping;

  FaceSourceWriter(StoredFieldsWriter in, SegmentInfo segment, Supplier<FaceFields> mapping) {
    this.in = in;
    this.segment = segment;
    this.mapping = mapping;
  }

  @Override
  public void startDocument() throws IOException {
    in.startDocument();
  }

  @Override
  public void finishDocument() throws IOException {
    in.finishDocument();
  }

  @Override
  public void writeField(FieldInfo info, int value) throws IOException {
    in.writeField(info, value);
  }

  @Override
  public void writeField(FieldInfo info, long value) throws IOException {
    in.writeField(info, value);
  }

  @Override
  public void writeField(FieldInfo info, float value) throws IOException {
    in.writeField(info, value);
  }

  @Override
  public void writeField(FieldInfo info, double value) throws IOException {
    in.writeField(info, value);
  }

  @Override
  public void writeField(FieldInfo info, String value) throws IOException {
    in.writeField(info, value);
  }

  @Override
  public void writeField(FieldInfo info, BytesRef value) throws IOException {
    in.writeField(info, SourceFieldMapper.NAME.equals(info.name) ? strip(value) : value);
  }

  @Override
  public void writeField(FieldInfo info, StoredFieldDataInput value) throws IOException {
    if (!SourceFieldMapper.NAME.equals(info.name)) {
      in.writeField(info, value);
      return;
    }
    byte[] bytes = new byte[value.getLength()];
    value.getDataInput().readBytes(bytes, 0, bytes.length);
    in.writeField(info, strip(new BytesRef(bytes)));
  }

  private BytesRef strip(BytesRef source) throws IOException {
    FaceFields faces = mapping.get();
    if (faces.isEmpty()) {
      return source;
    }
    BytesReference original = new BytesArray(source.bytes, source.offset, source.length);
    BytesReference stripped = FaceSource.strip(original, faces.paths());
    return stripped == original ? source : stripped.toBytesRef();
  }

  @Override
  public void finish(int numDocs) throws IOException {
    in.finish(numDocs);
    FaceSourceFormat.record(segment, mapping.get());
  }

  /**
   * Segments of this codec hold no vectors in {@code _source}: their stored fields are copied as
   * they are (Lucene's bulk copy, nothing parsed). Any other reader (a segment written before, or
   * one OpenSearch wraps to prune {@code _recovery_source}) is read document by document through
   * {@link #writeField}, so whatever it hands over is stripped before it is written.
   */
  @Override
  public int merge(MergeState mergeState) throws IOException {
    StoredFieldsReader[] readers = mergeState.storedFieldsReaders;
    for (StoredFieldsReader reader : readers) {
      if (!(reader instanceof FaceSourceFieldsReader)) {
        return super.merge(mergeState);
      }
    }
    for (int i = 0; i < readers.length; i++) {
      readers[i] = ((FaceSourceFieldsReader) readers[i]).raw();
    }
    int docs = in.merge(mergeState);
    FaceSourceFormat.record(segment, mapping.get());
    return docs;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  @Override
  public long ramBytesUsed() {
    return in.ramBytesUsed();
  }

  @Override
  public Collection<Accountable> getChildResources() {
    return in.getChildResources();
  }
}
