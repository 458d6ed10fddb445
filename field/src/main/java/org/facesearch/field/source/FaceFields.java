package org.facesearch.field.source;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.facesearch.field.FaceFieldType;
import org.opensearch.index.mapper.DocumentMapper;
import org.opensearch.index.mapper.FieldMapper;
import org.opensearch.index.mapper.Mapper;
import org.opensearch.index.mapper.MapperService;

/**
 * The face fields of an index whose vectors stay out of {@code _source} (all but those mapped with
 * {@code source_vectors: true}), by full path, and whether the mapping has nested objects (then a
 * document's faces may lie in its nested documents).
 */
public record FaceFields(List<String> paths, boolean nested) {

  static final FaceFields NONE = new FaceFields(List.of(), false);

  public boolean isEmpty() {
    return paths.isEmpty();
  }

  /** The face fields of the current mapping of {@code mapperService}. */
  public static FaceFields of(MapperService mapperService) {
    DocumentMapper mapper = mapperService == null ? null : mapperService.documentMapper();
    return mapper == null ? NONE : of(mapper);
  }

  /** The face fields of {@code mapper}. */
  public static FaceFields of(DocumentMapper mapper) {
    List<String> paths = new ArrayList<>();
    for (Mapper m : mapper.mappers()) {
      if (m instanceof FieldMapper field
          && field.fieldType() instanceof FaceFieldType face
          && !face.sourceVectors()) {
        paths.add(face.name());
      }
    }
    return paths.isEmpty() ? NONE : new FaceFields(List.copyOf(paths), mapper.hasNestedObjects());
  }

  /**
   * The face fields of the mapping {@code mapperService} holds when asked, computed again only when
   * the mapping changes (one mapping serves many documents).
   */
  public static Supplier<FaceFields> current(MapperService mapperService) {
    return new OfMapping(mapperService);
  }

  private static final class OfMapping implements Supplier<FaceFields> {
    private record Cached(DocumentMapper mapper, FaceFields fields) {}

    private final MapperService mapperService;
    private volatile Cached cached = new Cached(null, NONE);

    OfMapping(MapperService mapperService) {
      this.mapperService = mapperService;
    }

    @Override
    public FaceFields get() {
      DocumentMapper mapper = mapperService.documentMapper();
      if (mapper == null) {
        return NONE;
      }
      Cached last = cached;
      if (last.mapper() != mapper) {
        last = new Cached(mapper, of(mapper));
        cached = last;
      }
      return last.fields();
    }
  }
}
