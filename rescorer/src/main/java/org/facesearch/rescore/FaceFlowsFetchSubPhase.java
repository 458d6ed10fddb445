package org.facesearch.rescore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.facesearch.emd.EmdResult;
import org.facesearch.emd.FacePatches;
import org.facesearch.emd.Flow;
import org.opensearch.common.document.DocumentField;
import org.opensearch.search.fetch.FetchContext;
import org.opensearch.search.fetch.FetchSubPhase;
import org.opensearch.search.fetch.FetchSubPhaseProcessor;
import org.opensearch.search.rescore.RescoreContext;

/**
 * Adds the stage-2 terms and the strongest patch correspondences to each hit when a {@code
 * face_emd} rescorer asks for {@code flows > 0}: field {@value #FIELD} holds cosine, EMD, score,
 * the weighting used, the Sinkhorn iterations and whether they converged, and {@code flows} as
 * {query: [row, col], gallery: [row, col], mass}.
 */
public final class FaceFlowsFetchSubPhase implements FetchSubPhase {

  public static final String FIELD = "_face_emd";

  @Override
  public FetchSubPhaseProcessor getProcessor(FetchContext context) {
    List<RescoreContext> rescores = context.rescore();
    if (rescores == null) {
      return null;
    }
    FaceEmdRescoreContext emd = null;
    for (RescoreContext r : rescores) {
      if (r instanceof FaceEmdRescoreContext f && f.params.flows() > 0) {
        emd = f;
      }
    }
    if (emd == null) {
      return null;
    }
    FaceEmdRescoreContext rescore = emd;
    return new FetchSubPhaseProcessor() {
      @Override
      public void setNextReader(org.apache.lucene.index.LeafReaderContext readerContext) {}

      @Override
      public void process(HitContext hit) throws IOException {
        // Doc values iterate forward only: a fresh reader per hit, as hits come in any order.
        FacePatches face = new Faces.Gallery(hit.reader(), rescore.field).face(hit.docId());
        if (face == null) {
          return;
        }
        EmdResult result = rescore.scorer.score(face);
        Map<String, Object> terms = new LinkedHashMap<>();
        terms.put("cosine", result.cosine());
        terms.put("emd", result.emdSimilarity());
        terms.put("score", result.score());
        terms.put("weighting", result.describeWeighting());
        terms.put("iterations", result.iterations());
        terms.put("converged", result.converged());
        List<Map<String, Object>> flows = new ArrayList<>();
        for (Flow flow : result.flows()) {
          Map<String, Object> f = new LinkedHashMap<>();
          f.put("query", List.of(flow.queryRow(), flow.queryCol()));
          f.put("gallery", List.of(flow.galleryRow(), flow.galleryCol()));
          f.put("mass", flow.mass());
          flows.add(f);
        }
        terms.put("flows", flows);
        hit.hit().setDocumentField(FIELD, new DocumentField(FIELD, List.of(terms)));
      }
    };
  }
}
