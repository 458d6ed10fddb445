package org.facesearch.field.source;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.LeafReaderContext;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.search.SearchHit;
import org.opensearch.search.fetch.FetchContext;
import org.opensearch.search.fetch.FetchSubPhase;
import org.opensearch.search.fetch.FetchSubPhaseProcessor;

/**
 * Removes faces' vectors from the {@code _source} of hits (inner hits and {@code top_hits}
 * included) read from segments the face codec did not write: those of indices it does not serve
 * ({@code index.knn}, {@code index.face.codec: false}, another {@code index.codec}), which keep the
 * vectors in the stored {@code _source} so that reindex and update still find them, and segments
 * written before. Hits of face codec segments need nothing: their {@code _source} holds no vectors.
 * A request that asks for the vectors ({@link DerivingThreads}) keeps them.
 */
public final class FaceSourceFetchSubPhase implements FetchSubPhase {

  @Override
  public FetchSubPhaseProcessor getProcessor(FetchContext context) {
    if (context.fetchSourceContext() == null
        || !context.fetchSourceContext().fetchSource()
        || DerivingThreads.current()) {
      return null;
    }
    FaceFields faces = FaceFields.of(context.mapperService());
    if (faces.isEmpty()) {
      return null;
    }
    return new FetchSubPhaseProcessor() {
      private boolean strip;

      @Override
      public void setNextReader(LeafReaderContext leaf) {
        strip = !FaceSourceFormat.wroteSegmentOf(leaf.reader());
      }

      @Override
      public void process(HitContext hitContext) throws IOException {
        SearchHit hit = hitContext.hit();
        BytesReference source = hit.getSourceRef();
        if (!strip || source == null) {
          return;
        }
        BytesReference stripped = FaceSource.strip(source, relativePaths(hit, faces));
        if (stripped != source) {
          hit.sourceRef(stripped);
        }
      }
    };
  }

  /** The face paths as seen from the hit's source: a nested hit's source is its nested object. */
  private static List<String> relativePaths(SearchHit hit, FaceFields faces) {
    if (hit.getNestedIdentity() == null) {
      return faces.paths();
    }
    StringBuilder prefix = new StringBuilder();
    for (SearchHit.NestedIdentity level = hit.getNestedIdentity();
        level != null;
        level = level.getChild()) {
      prefix.append(level.getField().string()).append('.');
    }
    List<String> relative = new ArrayList<>();
    for (String path : faces.paths()) {
      if (path.startsWith(prefix.toString())) {
        relative.add(path.substring(prefix.length()));
      }
    }
    return relative;
  }
}
