/**
 * Stage 2 of face search: patch-wise earth mover's distance (DeepFace-EMD) between a query face and
 * each re-ranked candidate, solved by entropic optimal transport (Sinkhorn), as specified in
 * docs/algorithms.md section 3 and documented in docs/emd.md.
 *
 * <p>Entry points: {@link org.facesearch.emd.FacePatches} (one face's patch map), {@link
 * org.facesearch.emd.EmdParams} (validated options, with the defaults), {@link
 * org.facesearch.emd.EmdScorer} (one per query: scores candidates) and {@link
 * org.facesearch.emd.EmdResult} (score, Sinkhorn outcome, weighting used, top {@link
 * org.facesearch.emd.Flow}s). No OpenSearch types: the rescorer adapter lives elsewhere.
 */
package org.facesearch.emd;
