package org.facesearch.field;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.facesearch.field.codec.FaceCodecService;
import org.facesearch.field.codec.FaceIndexSettings;
import org.opensearch.common.settings.Setting;
import org.opensearch.index.IndexSettings;
import org.opensearch.index.codec.CodecServiceFactory;
import org.opensearch.index.mapper.Mapper;
import org.opensearch.plugins.EnginePlugin;
import org.opensearch.plugins.MapperPlugin;
import org.opensearch.plugins.Plugin;

/** The field module's extensions alone, for in-JVM test nodes: the face field type and its codec. */
public class FieldTestPlugin extends Plugin implements MapperPlugin, EnginePlugin {

  @Override
  public Map<String, Mapper.TypeParser> getMappers() {
    return Map.of(FaceFieldType.CONTENT_TYPE, FaceFieldMapper.PARSER);
  }

  @Override
  public Optional<CodecServiceFactory> getCustomCodecServiceFactory(IndexSettings indexSettings) {
    return FaceIndexSettings.codecApplies(indexSettings.getSettings()) ? Optional.of(FaceCodecService::new) : Optional.empty();
  }

  @Override
  public List<Setting<?>> getSettings() {
    return FaceIndexSettings.all();
  }
}
