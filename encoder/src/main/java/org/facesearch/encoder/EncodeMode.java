package org.facesearch.encoder;

import java.util.Locale;

/** What the input image is. */
public enum EncodeMode {
    /** A photo: faces are detected, their landmarks found and each face aligned before embedding. */
    DETECT,
    /**
     * An already aligned face crop (as the feature model's template expects): no detection, the
     * whole image is only resized to the model's input size; exactly one face results.
     */
    ALIGNED;

    /** Parses {@code detect} or {@code aligned} (any case). */
    public static EncodeMode parse(String value) {
        if (value != null) {
            for (EncodeMode m : values()) {
                if (m.name().equalsIgnoreCase(value.trim())) {
                    return m;
                }
            }
        }
        throw new IllegalArgumentException("unknown mode [" + value + "]: expected detect or aligned");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
