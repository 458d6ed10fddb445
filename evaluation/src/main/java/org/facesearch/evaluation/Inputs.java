package org.facesearch.evaluation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import org.facesearch.model.ModelPack;

/**
 * Where the evaluation tools and the benchmarks find their inputs, and how they describe the
 * machine a figure was measured on. The locations come from system properties that {@code
 * evaluation/run}, {@code benchmarks/run} and the build's test configuration set: {@code
 * face.data.dir} (the shared LFW/ORL data, read in place) and {@code face.model.dir} (the root
 * holding the model packs, {@code encoder/target/model-packs} after a build).
 */
public final class Inputs {
  private Inputs() {}

  /** The shared data folder; it must hold {@code lfw/}. */
  public static Path dataDir() {
    Path dir = Path.of(System.getProperty("face.data.dir", "../shared/data"));
    if (!Files.isDirectory(dir.resolve("lfw"))) {
      throw new IllegalStateException(
          "LFW not found under "
              + dir.toAbsolutePath()
              + " (set -Dface.data.dir or FACE_DATA_DIR)");
    }
    return dir;
  }

  /** LFW in its own layout: {@code Person_Name/Person_Name_NNNN.jpg} and {@code pairs.txt}. */
  public static Path lfw() {
    return dataDir().resolve("lfw");
  }

  /** The folder holding one sub-folder per model pack. */
  public static Path modelRoot() {
    String dir = System.getProperty("face.model.dir");
    if (dir == null) {
      throw new IllegalStateException(
          "-Dface.model.dir is not set (evaluation/run and benchmarks/run set it to encoder/target/model-packs)");
    }
    return Path.of(dir);
  }

  /** Pack {@code name} under {@link #modelRoot()}. */
  public static ModelPack pack(String name) {
    return ModelPack.load(modelRoot(), name);
  }

  public static ModelPack defaultPack() {
    return pack("default");
  }

  public static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** E.g. "2 vCPUs (AMD EPYC), Linux amd64, JDK 25.0.3". */
  public static String machine() {
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
    return String.format(
        Locale.ROOT,
        "%d vCPUs (%s), %s %s, JDK %s",
        cores(),
        cpu,
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        System.getProperty("java.version"));
  }

  /** Today's date (UTC), as figures are dated. */
  public static String today() {
    return LocalDate.now(ZoneOffset.UTC).toString();
  }
}
