package org.facesearch.field.vectors;

import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.util.quantization.OptimizedScalarQuantizer;

/**
 * What the prefetching scorer reads of a segment's 8-bit quantized vectors: the values themselves
 * and their records' slice, shape and quantizer. Made by {@link LuceneQuantization}, which knows
 * where the Lucene release in use keeps them.
 */
record Int8Values(
    KnnVectorValues values,
    IndexInput slice,
    int vectorByteLength,
    int size,
    int dimension,
    OptimizedScalarQuantizer quantizer,
    float[] centroid,
    float centroidDP) {}
