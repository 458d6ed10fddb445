package org.facesearch.emd;

/**
 * One entry of the transport plan: the mass moved between a query patch and a gallery (candidate)
 * patch, the explanation of an EMD score ("eyes to eyes"). Coordinates are cells of the grid that
 * was scored (4 x 4 when {@link Grid#POOLED_4X4} was used), row 0 at the top.
 *
 * @param queryRow row of the query patch
 * @param queryCol column of the query patch
 * @param galleryRow row of the candidate patch
 * @param galleryCol column of the candidate patch
 * @param mass the plan entry {@code T[s,m]}; all entries of a plan sum to about 1
 */
public record Flow(int queryRow, int queryCol, int galleryRow, int galleryCol, double mass) {}
