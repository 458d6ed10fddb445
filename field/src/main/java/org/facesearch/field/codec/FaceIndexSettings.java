package org.facesearch.field.codec;

import java.util.List;
import java.util.Set;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Setting.Property;
import org.opensearch.common.settings.Settings;

/** Index settings of the plugin. */
public final class FaceIndexSettings {

  /**
   * Whether the index uses the face codec, which applies {@code hnsw} and {@code
   * embedding_encoding} from face mappings. Only one plugin may supply an index's codec: indices
   * with {@code index.knn: true} belong to the k-NN plugin and never get ours; set this to false to
   * leave an index's codec to another plugin (face fields then use Lucene's default HNSW, m 16,
   * ef_construction 100, float32).
   */
  public static final Setting<Boolean> FACE_CODEC =
      Setting.boolSetting("index.face.codec", true, Property.IndexScope, Property.Final);

  /**
   * Whether {@code docvalue_fields} may return a face's raw features (its patch map, base64) in
   * this index. Off by default: patches are biometric data. Aggregations, scripts and sorts never
   * read them, whatever this says. Changed only while the index is closed (mappings read it when
   * built).
   */
  public static final Setting<Boolean> RAW_FEATURES_READABLE =
      Setting.boolSetting("index.face.raw_features_readable", false, Property.IndexScope);

  /**
   * The index.codec names the face codec serves; other codecs (e.g. lucene_default) are left alone.
   */
  public static final Set<String> CODECS = Set.of("default", "lz4", "best_compression", "zlib");

  /** Whether the face codec serves an index with these settings. */
  public static boolean codecApplies(Settings indexSettings) {
    return FACE_CODEC.get(indexSettings)
        && !indexSettings.getAsBoolean("index.knn", false)
        && CODECS.contains(indexSettings.get("index.codec", "default"));
  }

  public static List<Setting<?>> all() {
    return List.of(FACE_CODEC, RAW_FEATURES_READABLE);
  }

  private FaceIndexSettings() {}
}
