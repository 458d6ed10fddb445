package org.facesearch.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A verified model pack: a folder {@code ROOT/NAME/} holding ONNX files and a {@code pack.json}
 * descriptor ({@link PackDescriptor}). Packs are only ever opened from a root the caller allows
 * (the plugin's own {@code models/} folder for the bundled pack, {@code config/face-search/models/}
 * for custom ones), by name; a name or symbolic link that leads outside that root is refused, as is
 * a missing file or one whose SHA-256 differs from the descriptor's.
 */
public final class ModelPack {
  /** The descriptor's file name inside a pack folder. */
  public static final String DESCRIPTOR = "pack.json";

  private static final long MAX_DESCRIPTOR_BYTES = 1 << 20;

  private final Path directory;
  private final PackDescriptor descriptor;

  private ModelPack(Path directory, PackDescriptor descriptor) {
    this.directory = directory;
    this.descriptor = descriptor;
  }

  /**
   * Opens pack {@code name} under {@code allowedRoot} and verifies every file's SHA-256.
   *
   * @throws ModelPackException when the name is not a plain folder name, the folder (after
   *     resolving links) is outside the root, the descriptor is missing or invalid, names another
   *     pack, or a file is missing or corrupt
   */
  public static ModelPack load(Path allowedRoot, String name) {
    if (name == null || !PackDescriptor.NAME.matcher(name).matches()) {
      throw new ModelPackException(
          "invalid model pack name ["
              + name
              + "]: use letters, digits, '.', '_' and '-' (a folder name, no path)");
    }
    Path root;
    try {
      root = allowedRoot.toRealPath();
    } catch (IOException e) {
      throw new ModelPackException(
          "model pack folder " + allowedRoot + " does not exist or cannot be read (" + e + ")", e);
    }
    Path dir;
    try {
      dir = root.resolve(name).toRealPath();
    } catch (NoSuchFileException e) {
      throw new ModelPackException(
          "model pack ["
              + name
              + "] not found: expected a folder "
              + root.resolve(name)
              + " containing "
              + DESCRIPTOR,
          e);
    } catch (IOException e) {
      throw new ModelPackException("model pack [" + name + "] cannot be read: " + e, e);
    }
    // A symbolic link inside the root may point anywhere; only its target counts.
    if (!dir.startsWith(root) || dir.equals(root)) {
      throw new ModelPackException(
          "refusing model pack ["
              + name
              + "]: it resolves to "
              + dir
              + ", outside the allowed folder "
              + root);
    }
    if (!Files.isDirectory(dir)) {
      throw new ModelPackException("model pack [" + name + "] at " + dir + " is not a folder");
    }
    byte[] json = readFile(dir, DESCRIPTOR, MAX_DESCRIPTOR_BYTES, name);
    PackDescriptor descriptor;
    try {
      descriptor = PackDescriptor.parse(json);
    } catch (IllegalArgumentException e) {
      throw new ModelPackException(
          "model pack [" + name + "]: invalid " + DESCRIPTOR + ": " + e.getMessage(), e);
    }
    if (!descriptor.name().equals(name)) {
      throw new ModelPackException(
          "model pack folder ["
              + name
              + "] holds a descriptor for pack ["
              + descriptor.name()
              + "]: the folder name and the descriptor's name must agree");
    }
    ModelPack pack = new ModelPack(dir, descriptor);
    for (String file : descriptor.sha256().keySet()) {
      pack.readVerified(file);
    }
    return pack;
  }

  /** Names of the folders under {@code root} that contain a descriptor (not validated), sorted. */
  public static List<String> list(Path root) {
    List<String> names = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return names;
    }
    try (Stream<Path> children = Files.list(root)) {
      children
          .filter(p -> Files.isRegularFile(p.resolve(DESCRIPTOR)))
          .map(p -> p.getFileName().toString())
          .filter(n -> PackDescriptor.NAME.matcher(n).matches())
          .sorted()
          .forEach(names::add);
    } catch (IOException e) {
      throw new ModelPackException("cannot list model packs in " + root + ": " + e, e);
    }
    return names;
  }

  /**
   * Reads one of the pack's files and checks its SHA-256 again, so the bytes handed to the model
   * runtime are exactly the verified ones even if the file changed after {@link #load}.
   */
  public byte[] readVerified(String file) {
    String expected = descriptor.sha256().get(file);
    if (expected == null) {
      throw new ModelPackException(
          "model pack [" + name() + "]: " + file + " is not listed in " + DESCRIPTOR);
    }
    byte[] bytes = readFile(directory, file, Long.MAX_VALUE, name());
    String actual = sha256(bytes);
    if (!actual.equals(expected)) {
      throw new ModelPackException(
          "model pack ["
              + name()
              + "]: "
              + file
              + " is corrupt or was replaced: its SHA-256 is "
              + actual
              + " but "
              + DESCRIPTOR
              + " says "
              + expected);
    }
    return bytes;
  }

  private static byte[] readFile(Path dir, String file, long maxBytes, String pack) {
    Path path = dir.resolve(file);
    try {
      Path real = path.toRealPath();
      if (!real.startsWith(dir)) {
        throw new ModelPackException(
            "model pack ["
                + pack
                + "]: "
                + file
                + " resolves to "
                + real
                + ", outside the pack folder "
                + dir);
      }
      if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
        throw new ModelPackException(
            "model pack [" + pack + "]: " + path + " is not a regular file");
      }
      long size = Files.size(real);
      if (size > maxBytes) {
        throw new ModelPackException(
            "model pack [" + pack + "]: " + path + " is " + size + " bytes, more than " + maxBytes);
      }
      return Files.readAllBytes(real);
    } catch (NoSuchFileException e) {
      throw new ModelPackException("model pack [" + pack + "]: file " + path + " is missing", e);
    } catch (IOException e) {
      throw new ModelPackException("model pack [" + pack + "]: cannot read " + path + ": " + e, e);
    }
  }

  /** Lower-case hex SHA-256 of {@code bytes}. */
  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** The pack's name. */
  public String name() {
    return descriptor.name();
  }

  /** The pack's version. */
  public String version() {
    return descriptor.version();
  }

  /** The pack folder (real path, inside the allowed root). */
  public Path directory() {
    return directory;
  }

  /** The parsed descriptor. */
  public PackDescriptor descriptor() {
    return descriptor;
  }

  @Override
  public String toString() {
    return "ModelPack[" + name() + " " + version() + " at " + directory + "]";
  }
}
