package org.facesearch.ingest;

import java.util.List;
import java.util.Map;
import org.opensearch.action.ActionRequest;
import org.opensearch.action.ingest.SimulateDocumentBaseResult;
import org.opensearch.action.ingest.SimulateDocumentResult;
import org.opensearch.action.ingest.SimulateDocumentVerboseResult;
import org.opensearch.action.ingest.SimulatePipelineAction;
import org.opensearch.action.ingest.SimulatePipelineResponse;
import org.opensearch.action.ingest.SimulateProcessorResult;
import org.opensearch.action.support.ActionFilter;
import org.opensearch.action.support.ActionFilterChain;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.ingest.IngestDocument;
import org.opensearch.tasks.Task;

/**
 * Shows the faces of a {@code _simulate} answer as summaries: box, landmarks, ERS, detection score
 * and model, without the embedding and the patch map, which are biometric data and which a person
 * debugging a pipeline cannot read anyway. The documents a pipeline indexes keep them (the field
 * mapper needs them); only the simulate answer loses them.
 */
public final class SimulatedFaces implements ActionFilter {

  /** The keys of a face the processor writes that the answer leaves out. */
  static final List<String> HIDDEN = List.of("embedding", "patches");

  @Override
  public int order() {
    return 0;
  }

  @Override
  public <Request extends ActionRequest, Response extends ActionResponse> void apply(
      Task task,
      String action,
      Request request,
      ActionListener<Response> listener,
      ActionFilterChain<Request, Response> chain) {
    if (!SimulatePipelineAction.NAME.equals(action)) {
      chain.proceed(task, action, request, listener);
      return;
    }
    chain.proceed(
        task,
        action,
        request,
        ActionListener.map(
            listener,
            response -> {
              if (response instanceof SimulatePipelineResponse simulated) {
                for (SimulateDocumentResult result : simulated.getResults()) {
                  summarize(result);
                }
              }
              return response;
            }));
  }

  private static void summarize(SimulateDocumentResult result) {
    if (result instanceof SimulateDocumentBaseResult base) {
      summarize(base.getIngestDocument());
    } else if (result instanceof SimulateDocumentVerboseResult verbose) {
      for (SimulateProcessorResult step : verbose.getProcessorResults()) {
        summarize(step.getIngestDocument());
      }
    }
  }

  private static void summarize(IngestDocument document) {
    if (document != null) {
      summarize(document.getSourceAndMetadata());
    }
  }

  /**
   * Removes the vectors of every face object (as the face_embedding processor writes one) below
   * {@code value}.
   */
  static void summarize(Object value) {
    if (value instanceof Map<?, ?> map) {
      if (isFace(map)) {
        map.keySet().removeAll(HIDDEN);
      }
      for (Object child : map.values()) {
        summarize(child);
      }
    } else if (value instanceof List<?> list) {
      for (Object child : list) {
        summarize(child);
      }
    }
  }

  private static boolean isFace(Map<?, ?> map) {
    return map.containsKey("embedding")
        && map.containsKey("box")
        && map.containsKey("landmarks")
        && map.containsKey("model");
  }
}
