package org.facesearch.bench.recognizability;

import java.util.Random;

import org.facesearch.image.RgbImage;

/** Public access to the direct UI-centroid recipe ({@link Degradations#heavy}) for studies in other packages. */
public final class HeavyDegradation {
    private HeavyDegradation() {}

    /** All six heavy degradations of the ERS paper with parameters drawn from {@code random}. */
    public static RgbImage apply(RgbImage alignedFace, Random random) {
        return Degradations.heavy(alignedFace, random);
    }

    /** One random degradation of random severity (the clustering mix recipe). */
    public static RgbImage random(RgbImage alignedFace, Random random) {
        return Degradations.random(alignedFace, random).image();
    }
}
