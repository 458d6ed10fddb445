package org.facesearch.bench.eval;

import java.util.List;

import org.facesearch.encoder.EncodedFace;

/**
 * Which detected face of an LFW photo is the labelled person. LFW photos are centred on that
 * person and often show others too, sometimes larger, so the labelled face is the one whose box
 * centre is nearest the image centre (the rule of the encoder's LFW verification benchmark), or,
 * for a crop of the photo, nearest the point where the photo's centre landed.
 */
final class FaceChoice {
    private FaceChoice() {}

    /** The face whose box centre is nearest (x, y); null when there is none. */
    static EncodedFace nearest(List<EncodedFace> faces, double x, double y) {
        EncodedFace best = null;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (EncodedFace f : faces) {
            float[] b = f.box();
            double d = Math.hypot(b[0] + b[2] / 2.0 - x, b[1] + b[3] / 2.0 - y);
            if (d < bestDistance) {
                bestDistance = d;
                best = f;
            }
        }
        return best;
    }
}
