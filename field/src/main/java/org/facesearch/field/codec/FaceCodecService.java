package org.facesearch.field.codec;

import java.util.Map;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.lucene104.Lucene104Codec.Mode;
import org.facesearch.field.source.FaceFields;
import org.opensearch.index.codec.CodecService;
import org.opensearch.index.codec.CodecServiceConfig;
import org.opensearch.index.mapper.MapperService;

/**
 * Serves the face codecs for the default and compression codec names; every other name (and indices
 * with composite fields) falls through to OpenSearch's own codecs. A shard's engine asks once, as
 * it opens: an index whose mapping then has face fields that keep their vectors out of {@code
 * _source} gets {@link FaceCodec}, any other {@link FaceVectorsCodec}, which keeps the default
 * codec's name (an index that never holds faces stays readable without the plugin).
 */
public final class FaceCodecService extends CodecService {

  private final MapperService mapperService;
  private final Map<String, Codec> withoutDerivedSource;
  private final Map<String, Codec> withDerivedSource;

  public FaceCodecService(CodecServiceConfig config) {
    super(
        config.getMapperService(),
        config.getIndexSettings(),
        config.getLogger(),
        config.getAdditionalCodecs());
    this.mapperService = config.getMapperService();
    if (mapperService == null || mapperService.isCompositeIndexPresent()) {
      withoutDerivedSource = Map.of();
      withDerivedSource = Map.of();
    } else {
      withoutDerivedSource =
          byName(
              new FaceVectorsCodec(Mode.BEST_SPEED, mapperService, config.getLogger()),
              new FaceVectorsCodec(Mode.BEST_COMPRESSION, mapperService, config.getLogger()));
      withDerivedSource =
          byName(
              new FaceCodec(Mode.BEST_SPEED, mapperService, config.getLogger()),
              new FaceCodec(Mode.BEST_COMPRESSION, mapperService, config.getLogger()));
    }
  }

  private static Map<String, Codec> byName(Codec speed, Codec compression) {
    return Map.of(
        DEFAULT_CODEC, speed, LZ4, speed, BEST_COMPRESSION_CODEC, compression, ZLIB, compression);
  }

  @Override
  public Codec codec(String name) {
    Map<String, Codec> codecs =
        FaceFields.of(mapperService).isEmpty() ? withoutDerivedSource : withDerivedSource;
    Codec codec = codecs.get(name);
    return codec != null ? codec : super.codec(name);
  }
}
