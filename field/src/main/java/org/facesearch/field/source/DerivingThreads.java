package org.facesearch.field.source;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.opensearch.common.util.concurrent.ThreadContext;

/**
 * Whether the current thread serves a request that asks for faces' vectors back in {@code _source}
 * ({@link FaceSource#DERIVE_HEADER} in its thread context). The face codec's stored fields reader
 * asks this for every {@code _source} it reads.
 *
 * <p>Why a list kept for the whole JVM rather than the node's thread context handed to the codec:
 * Lucene opens a segment with the codec whose name the segment records, and for a segment read from
 * disk (after a restart, a peer recovery, a restore, on a segment replica) that is the one instance
 * its SPI made for the JVM, which no node can hand anything to. Each node registers its thread
 * context here. Thread contexts are thread-locals of one node each, and a thread carries request
 * headers only in the context of the node whose pool runs it, so asking every registered context
 * answers for the current thread's own node, also with several nodes in one JVM (tests). Contexts
 * are held weakly: a closed node's goes with it.
 */
public final class DerivingThreads {

  private static volatile List<WeakReference<ThreadContext>> contexts = List.of();

  private DerivingThreads() {}

  /**
   * Lets the threads of the node that owns {@code context} ask for vectors back; registering twice
   * is harmless.
   */
  public static synchronized void register(ThreadContext context) {
    List<WeakReference<ThreadContext>> next = new ArrayList<>();
    for (WeakReference<ThreadContext> ref : contexts) {
      ThreadContext known = ref.get();
      if (known == context) {
        return;
      }
      if (known != null) {
        next.add(ref);
      }
    }
    next.add(new WeakReference<>(context));
    contexts = List.copyOf(next);
  }

  /** Whether the current thread's request asks for the faces' vectors in {@code _source}. */
  public static boolean current() {
    for (WeakReference<ThreadContext> ref : contexts) {
      ThreadContext context = ref.get();
      if (context != null && context.getHeader(FaceSource.DERIVE_HEADER) != null) {
        return true;
      }
    }
    return false;
  }
}
