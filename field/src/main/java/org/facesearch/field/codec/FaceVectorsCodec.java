package org.facesearch.field.codec;

import org.apache.logging.log4j.Logger;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.facesearch.field.FaceFieldType;
import org.opensearch.index.codec.PerFieldMappingPostingFormatCodec;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.index.mapper.MapperService;

/**
 * OpenSearch's default codec with one change: {@code face} fields get the HNSW format their mapping
 * asks for ({@code hnsw.m}, {@code hnsw.ef_construction}, {@code embedding_encoding}). It keeps the
 * default codec's name: the per-field format is recorded in each segment and resolved by name when
 * read, so float32 fields need nothing of the plugin's to be read, and int8 fields only its {@link
 * org.facesearch.field.vectors.Int8HnswFormat}, registered through Lucene's SPI. It writes the
 * indices whose mapping has no face field that keeps its vectors out of {@code _source}, and is
 * what {@link FaceCodec} writes with otherwise.
 */
final class FaceVectorsCodec extends PerFieldMappingPostingFormatCodec {

  private final MapperService mapperService;

  FaceVectorsCodec(Mode mode, MapperService mapperService, Logger logger) {
    super(mode, mapperService, logger);
    this.mapperService = mapperService;
  }

  @Override
  public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
    MappedFieldType type = mapperService.fieldType(field);
    if (type instanceof FaceFieldType face) {
      return face.vectorsFormat();
    }
    return super.getKnnVectorsFormatForField(field);
  }
}
