package org.facesearch.field.source;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.lucene.codecs.DocValuesFormat;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.StoredFieldsFormat;
import org.apache.lucene.codecs.StoredFieldsReader;
import org.apache.lucene.codecs.StoredFieldsWriter;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.FilterCodecReader;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.SegmentInfo;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentReader;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.util.IOUtils;

/**
 * The stored fields of the face codec: the one place where faces' vectors leave {@code _source} and
 * where they come back (derived source), below every index reader, so that the index's one reader
 * wrapper stays free for another plugin (the security plugin's document- and field-level security).
 *
 * <ul>
 *   <li>Writing (flush and merge) removes the embedding and patch map of each face of the index's
 *       mapping from {@code _source} ({@link FaceSourceWriter}), and records in the segment which
 *       face fields it keeps them out of, so that reading needs nothing but the segment.
 *   <li>Reading hands out the stored fields as written, except to a thread whose request asks for
 *       the vectors ({@link DerivingThreads}: reindex, update by query, update): its {@code
 *       _source} gets them back from the segment's own vectors and patch doc values ({@link
 *       SegmentFaces}).
 * </ul>
 *
 * A segment read from disk is opened by Lucene with the codec instance its SPI makes from the name
 * the segment records; that instance reads with this format too (made by {@link #forReading}),
 * which is why everything a reader needs is in the segment.
 */
public final class FaceSourceFormat extends StoredFieldsFormat {

  /**
   * Segment attributes: the face fields whose vectors the segment keeps out of {@code _source}, and
   * whether the mapping nests.
   */
  static final String FACES_ATTRIBUTE = "face_search.source_faces";

  static final String NESTED_ATTRIBUTE = "face_search.source_nested";

  private final StoredFieldsFormat delegate;
  private final KnnVectorsFormat vectors;
  private final DocValuesFormat docValues;

  /** The face fields of the index's mapping, or null for the instance that only reads. */
  private final Supplier<FaceFields> mapping;

  private FaceSourceFormat(
      StoredFieldsFormat delegate,
      KnnVectorsFormat vectors,
      DocValuesFormat docValues,
      Supplier<FaceFields> mapping) {
    this.delegate = delegate;
    this.vectors = vectors;
    this.docValues = docValues;
    this.mapping = mapping;
  }

  /**
   * The format an index's codec writes with.
   *
   * @param delegate the stored fields format the bytes are written with
   * @param vectors the codec's vectors format, which reads the segment's embeddings back
   * @param docValues the codec's doc values format, which reads the segment's patch maps back
   * @param mapping the face fields of the index's current mapping
   */
  public static FaceSourceFormat forWriting(
      StoredFieldsFormat delegate,
      KnnVectorsFormat vectors,
      DocValuesFormat docValues,
      Supplier<FaceFields> mapping) {
    return new FaceSourceFormat(delegate, vectors, docValues, Objects.requireNonNull(mapping));
  }

  /**
   * The format of the codec Lucene makes by name to open segments from disk: it reads, never
   * writes.
   */
  public static FaceSourceFormat forReading(
      StoredFieldsFormat delegate, KnnVectorsFormat vectors, DocValuesFormat docValues) {
    return new FaceSourceFormat(delegate, vectors, docValues, null);
  }

  @Override
  public StoredFieldsReader fieldsReader(
      Directory directory, SegmentInfo si, FieldInfos fn, IOContext context) throws IOException {
    StoredFieldsReader in = delegate.fieldsReader(directory, si, fn, context);
    boolean success = false;
    try {
      SegmentFaces faces =
          new SegmentFaces(
              new SegmentReadState(directory, si, fn, IOContext.DEFAULT),
              vectors,
              docValues,
              recorded(si));
      StoredFieldsReader reader = new FaceSourceFieldsReader(in, faces, true);
      success = true;
      return reader;
    } finally {
      if (!success) {
        IOUtils.closeWhileHandlingException(in);
      }
    }
  }

  @Override
  public StoredFieldsWriter fieldsWriter(Directory directory, SegmentInfo si, IOContext context)
      throws IOException {
    if (mapping == null) {
      // Lucene writes with the index writer's codec, never with one it made by name: if that
      // changed,
      // documents would be written without their vectors being taken out.
      throw new IllegalStateException(
          "segment ["
              + si.name
              + "]: the face codec made by name only reads; the index's face codec writes");
    }
    return new FaceSourceWriter(delegate.fieldsWriter(directory, si, context), si, mapping);
  }

  /** Records in {@code si} the face fields whose vectors its {@code _source} lacks. */
  static void record(SegmentInfo si, FaceFields faces) {
    StringBuilder encoded = new StringBuilder();
    for (String path : faces.paths()) {
      // Length-prefixed: a field name may hold any character.
      encoded.append(path.length()).append(':').append(path);
    }
    si.putAttribute(FACES_ATTRIBUTE, encoded.toString());
    si.putAttribute(NESTED_ATTRIBUTE, Boolean.toString(faces.nested()));
  }

  /** The face fields {@code si} recorded. */
  static FaceFields recorded(SegmentInfo si) {
    String encoded = si.getAttribute(FACES_ATTRIBUTE);
    String nested = si.getAttribute(NESTED_ATTRIBUTE);
    if (encoded == null || nested == null) {
      throw new IllegalStateException(
          "segment [" + si.name + "] of the face codec does not record its face fields");
    }
    List<String> paths = new ArrayList<>();
    int at = 0;
    while (at < encoded.length()) {
      int colon = encoded.indexOf(':', at);
      int length = Integer.parseInt(encoded, at, colon, 10);
      paths.add(encoded.substring(colon + 1, colon + 1 + length));
      at = colon + 1 + length;
    }
    return paths.isEmpty()
        ? FaceFields.NONE
        : new FaceFields(List.copyOf(paths), Boolean.parseBoolean(nested));
  }

  /**
   * Whether {@code reader}'s segment was written by the face codec, whose {@code _source} never
   * holds the faces' vectors; false for segments written otherwise, and for readers that hide their
   * segment.
   */
  public static boolean wroteSegmentOf(LeafReader reader) {
    LeafReader current = reader;
    while (true) {
      if (current instanceof SegmentReader segment) {
        return segment.getSegmentInfo().info.getCodec().storedFieldsFormat()
            instanceof FaceSourceFormat;
      } else if (current instanceof FilterLeafReader filter) {
        current = filter.getDelegate();
      } else if (current instanceof FilterCodecReader filter) {
        current = filter.getDelegate();
      } else {
        return false;
      }
    }
  }
}
