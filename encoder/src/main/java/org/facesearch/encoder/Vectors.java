package org.facesearch.encoder;

/** L2 normalisation in place. */
final class Vectors {
    private Vectors() {}

    /** Scales {@code v} to length 1 unless it is zero or not finite; returns its length before. */
    static double normalise(float[] v) {
        return normalise(v, 0, v.length);
    }

    /** Normalises {@code v[from, from + length)} in place; returns its length before. */
    static double normalise(float[] v, int from, int length) {
        double s = 0;
        for (int i = from; i < from + length; i++) {
            s += (double) v[i] * v[i];
        }
        double norm = Math.sqrt(s);
        if (norm > 0 && Double.isFinite(norm)) {
            for (int i = from; i < from + length; i++) {
                v[i] = (float) (v[i] / norm);
            }
        }
        return norm;
    }
}
