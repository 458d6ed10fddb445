package org.facesearch.model;

import java.util.Locale;

/** Where ONNX Runtime runs the models. */
public enum Device {
    /** ONNX Runtime's CPU execution provider. */
    CPU,
    /**
     * NVIDIA GPU through ONNX Runtime's CUDA execution provider (needs the {@code onnxruntime_gpu}
     * build, {@code -Pcuda}, and a CUDA runtime). Never falls back to the CPU silently: opening fails.
     */
    CUDA;

    /** Parses {@code cpu} or {@code cuda} (any case). */
    public static Device parse(String value) {
        if (value != null) {
            for (Device d : values()) {
                if (d.name().equalsIgnoreCase(value.trim())) {
                    return d;
                }
            }
        }
        throw new IllegalArgumentException("unknown inference device [" + value + "]: expected cpu or cuda");
    }

    /** The lower-case name used in settings. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
