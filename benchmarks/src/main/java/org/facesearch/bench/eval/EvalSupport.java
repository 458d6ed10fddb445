package org.facesearch.bench.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

import org.facesearch.model.ModelPack;

/** Where evaluations find their inputs (system properties set by benchmarks/run and by surefire) and how they describe the machine. */
final class EvalSupport {
    private EvalSupport() {}

    static Path lfw() {
        Path dir = Path.of(System.getProperty("face.data.dir", "../shared/data")).resolve("lfw");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("LFW not found at " + dir.toAbsolutePath() + " (set -Dface.data.dir or FACE_DATA_DIR)");
        }
        return dir;
    }

    static ModelPack defaultPack() {
        String dir = System.getProperty("face.model.dir");
        if (dir == null) {
            throw new IllegalStateException("-Dface.model.dir is not set (benchmarks/run sets it to ingest-processor/target/model-packs)");
        }
        return ModelPack.load(Path.of(dir), "default");
    }

    /** E.g. "2 vCPUs (AMD EPYC), 23 GiB, Linux amd64, JDK 25.0.3". */
    static String machine() {
        String cpu = "CPU model not reported by /proc/cpuinfo";
        Path info = Path.of("/proc/cpuinfo");
        if (Files.isReadable(info)) {
            try {
                List<String> lines = Files.readAllLines(info);
                for (String line : lines) {
                    if (line.startsWith("model name")) {
                        cpu = line.substring(line.indexOf(':') + 1).trim();
                        break;
                    }
                }
            } catch (IOException e) {
                cpu = "CPU model unreadable: " + e.getMessage();
            }
        }
        return String.format(Locale.ROOT, "%d vCPUs (%s), %s %s, JDK %s", Runtime.getRuntime().availableProcessors(), cpu,
            System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
    }

    static String today() {
        return LocalDate.now(ZoneOffset.UTC).toString();
    }
}
