package org.facesearch.bench.encoder;

import java.nio.file.Files;
import java.nio.file.Path;

import org.facesearch.model.ModelPack;

/** Where benchmarks find the model pack and the shared data (system properties set by benchmarks/run). */
public final class BenchSupport {
    private BenchSupport() {}

    public static Path dataDir() {
        Path dir = Path.of(System.getProperty("face.data.dir", "../shared/data"));
        if (!Files.isDirectory(dir.resolve("lfw"))) {
            throw new IllegalStateException("LFW not found under " + dir.toAbsolutePath() + " (set -Dface.data.dir or FACE_DATA_DIR)");
        }
        return dir;
    }

    public static Path lfw() {
        return dataDir().resolve("lfw");
    }

    public static ModelPack defaultPack() {
        String dir = System.getProperty("face.model.dir");
        if (dir == null) {
            throw new IllegalStateException("-Dface.model.dir is not set (benchmarks/run sets it to ingest-processor/target/model-packs)");
        }
        return ModelPack.load(Path.of(dir), "default");
    }

    /** LFW image path for person and 1-based image number. */
    public static Path lfwImage(Path lfw, String person, int number) {
        return lfw.resolve(person).resolve(String.format(java.util.Locale.ROOT, "%s_%04d.jpg", person, number));
    }

    public static float dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return (float) s;
    }

    public static float[] normalised(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        double n = Math.sqrt(s);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / n);
        }
        return out;
    }

    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }
}
