package org.facesearch.field.codec;

import org.apache.logging.log4j.Logger;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.StoredFieldsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene104.Lucene104Codec.Mode;
import org.facesearch.field.source.FaceFields;
import org.facesearch.field.source.FaceSourceFormat;
import org.opensearch.index.mapper.MapperService;

/**
 * The codec of an index whose mapping has face fields that keep their vectors out of {@code
 * _source}: {@link FaceVectorsCodec} (OpenSearch's default codec with the face fields' HNSW
 * formats) with the stored fields of {@link FaceSourceFormat}, which take the vectors out of {@code
 * _source} as segments are written and put them back for the requests that ask.
 *
 * <p>It has its own name, which each segment it writes records: Lucene opens a segment from disk
 * with the codec of that name (made once per JVM by its SPI, through the public constructor), so
 * that segments read after a restart, a peer recovery, a restore or on a segment replica are read
 * through the same stored fields format as those just written. Everything else it reads as Lucene's
 * own codec does (formats named per field in the segment, the int8 HNSW one included).
 */
public final class FaceCodec extends FilterCodec {

  /**
   * The name segments record; names the Lucene codec it builds on, which a later one will not
   * replace for old segments.
   */
  public static final String NAME = "FaceLucene104";

  private final StoredFieldsFormat storedFields;

  /** The codec Lucene makes by name to read segments; it never writes. */
  public FaceCodec() {
    this(new Lucene104Codec(), null);
  }

  /** The codec an index writes with. */
  FaceCodec(Mode mode, MapperService mapperService, Logger logger) {
    this(new FaceVectorsCodec(mode, mapperService, logger), mapperService);
  }

  private FaceCodec(Codec delegate, MapperService mapperService) {
    super(NAME, delegate);
    this.storedFields =
        mapperService == null
            ? FaceSourceFormat.forReading(
                delegate.storedFieldsFormat(),
                delegate.knnVectorsFormat(),
                delegate.docValuesFormat())
            : FaceSourceFormat.forWriting(
                delegate.storedFieldsFormat(),
                delegate.knnVectorsFormat(),
                delegate.docValuesFormat(),
                FaceFields.current(mapperService));
  }

  @Override
  public StoredFieldsFormat storedFieldsFormat() {
    return storedFields;
  }
}
