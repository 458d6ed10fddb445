package org.facesearch.field.codec;

import java.util.Map;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.lucene104.Lucene104Codec.Mode;
import org.opensearch.index.codec.CodecService;
import org.opensearch.index.codec.CodecServiceConfig;

/**
 * Serves {@link FaceCodec} for the default and compression codec names; every other name (and
 * indices with composite fields) falls through to OpenSearch's own codecs.
 */
public final class FaceCodecService extends CodecService {

  private final Map<String, Codec> faceCodecs;

  public FaceCodecService(CodecServiceConfig config) {
    super(config.getMapperService(), config.getIndexSettings(), config.getLogger(), config.getAdditionalCodecs());
    if (config.getMapperService() == null || config.getMapperService().isCompositeIndexPresent()) {
      faceCodecs = Map.of();
    } else {
      Codec speed = new FaceCodec(Mode.BEST_SPEED, config.getMapperService(), config.getLogger());
      Codec compression = new FaceCodec(Mode.BEST_COMPRESSION, config.getMapperService(), config.getLogger());
      faceCodecs =
          Map.of(
              DEFAULT_CODEC, speed,
              LZ4, speed,
              BEST_COMPRESSION_CODEC, compression,
              ZLIB, compression);
    }
  }

  @Override
  public Codec codec(String name) {
    Codec codec = faceCodecs.get(name);
    return codec != null ? codec : super.codec(name);
  }
}
