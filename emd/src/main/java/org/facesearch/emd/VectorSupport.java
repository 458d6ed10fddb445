package org.facesearch.emd;

/**
 * Whether the Panama vector API ({@code jdk.incubator.vector}) can be used. OpenSearch 3.x starts
 * its JVM with {@code --add-modules=jdk.incubator.vector} (for Lucene), so it normally can; without
 * the module the classes that use it are never loaded and the plain Java paths run instead.
 */
final class VectorSupport {
  /** Narrower vectors (two doubles) do not beat the plain loops by enough to be worth it. */
  static final int MIN_BIT_SIZE = 256;

  /**
   * True when the vector API is present and the preferred vector is at least {@link #MIN_BIT_SIZE}
   * bits.
   */
  static final boolean ENABLED = detect();

  private VectorSupport() {}

  private static boolean detect() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return false;
    }
    // Only now is it safe to touch a class that links against the incubator module. Not
    // PanamaDenseOps: initialising a DenseOps subclass from here would initialise DenseOps, which
    // reads ENABLED before this method has returned.
    return PanamaBlockedQuery.preferredBitSize() >= MIN_BIT_SIZE;
  }
}
