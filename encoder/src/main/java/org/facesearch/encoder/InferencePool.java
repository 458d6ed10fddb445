package org.facesearch.encoder;

import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * A fixed number of inference threads with a bounded queue in front. Bounding the queue is the
 * point: a burst of large bulk requests must not pile up unbounded work and memory, so a task
 * arriving when {@code queueSize} tasks already wait is refused at once with {@link
 * InferenceRejectedException}.
 *
 * <p>Tasks are also bounded by memory: each declares the bytes it will hold (its encoded images
 * while it waits, their decoded pixels while it runs), and a task that would take the bytes of the
 * tasks waiting and running past {@link #memoryBudget()} is refused the same way. A count alone
 * does not bound memory: a thousand 1600x1600 photos waiting hold as much as two million small
 * ones. A task is always taken when nothing else is waiting or running, so one image that alone
 * exceeds the budget (but not the image limits) still runs.
 */
final class InferencePool implements AutoCloseable {
  private final ThreadPoolExecutor executor;
  private final int threads;
  private final int queueSize;
  private final LongAdder rejections = new LongAdder();

  /** Bytes declared by the tasks waiting or running. */
  private final AtomicLong heldBytes = new AtomicLong();

  private final AtomicInteger heldTasks = new AtomicInteger();
  private volatile long memoryBudget = Long.MAX_VALUE;

  InferencePool(int threads, int queueSize, String name) {
    this.threads = threads;
    this.queueSize = queueSize;
    BlockingQueue<Runnable> queue =
        queueSize == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queueSize);
    AtomicInteger n = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            0L,
            TimeUnit.MILLISECONDS,
            queue,
            r -> new Worker(this, r, name + "-" + n.incrementAndGet()),
            new ThreadPoolExecutor.AbortPolicy());
  }

  /** A pool thread, marked so that work submitted from inside the pool can run inline. */
  private static final class Worker extends Thread {
    private final InferencePool pool;

    Worker(InferencePool pool, Runnable r, String name) {
      super(r, name);
      this.pool = pool;
      setDaemon(true); // never keeps a JVM (or a test run) alive
    }
  }

  /** Queues {@code task}, which declares no memory; see {@link #submit(Callable, long)}. */
  <T> Future<T> submit(Callable<T> task) {
    return submit(task, 0);
  }

  /**
   * Queues {@code task}, which will hold about {@code bytes} while it waits and runs; throws {@link
   * InferenceRejectedException} when the queue is full or the bytes do not fit the budget.
   */
  <T> Future<T> submit(Callable<T> task, long bytes) {
    return submit(task, bytes, null);
  }

  private <T> Future<T> submit(Callable<T> task, long bytes, Consumer<Future<T>> whenDone) {
    if (bytes < 0) {
      throw new IllegalArgumentException("a task's bytes must be >= 0, got " + bytes);
    }
    long held = heldBytes.addAndGet(bytes);
    int tasks = heldTasks.incrementAndGet();
    long budget = memoryBudget;
    if (tasks > 1 && held > budget) {
      release(bytes);
      rejections.increment();
      throw new InferenceRejectedException(
          String.format(
              Locale.ROOT,
              "the face inference queue is full (its memory budget of %s would be exceeded: %s held by images waiting or running, %s more asked)",
              mb(budget),
              mb(held - bytes),
              mb(bytes)));
    }
    // Given back once: when the task's work ends (before its result is visible, so that a caller
    // who saw the result sees the bytes free), or when it is cancelled without ever running.
    AtomicBoolean givenBack = new AtomicBoolean();
    Runnable giveBack =
        () -> {
          if (givenBack.compareAndSet(false, true)) {
            release(bytes);
          }
        };
    FutureTask<T> future =
        new FutureTask<>(
            () -> {
              try {
                return task.call();
              } finally {
                giveBack.run();
              }
            }) {
          @Override
          protected void done() {
            giveBack.run();
            if (whenDone != null) {
              whenDone.accept(this);
            }
          }
        };
    try {
      executor.execute(future);
      return future;
    } catch (RejectedExecutionException e) {
      giveBack.run();
      if (executor.isShutdown()) {
        throw new IllegalStateException("the face encoder is closed", e);
      }
      rejections.increment();
      throw new InferenceRejectedException(
          "the face inference queue is full ("
              + queueSize
              + " tasks waiting for "
              + threads
              + " threads)");
    }
  }

  /**
   * As {@link #submit(Callable, long)}, the result delivered through a {@link CompletableFuture}
   * that completes on the pool thread once the task's bytes are given back; a refusal fails it
   * rather than being thrown.
   */
  <T> CompletableFuture<T> submitAsync(Callable<T> task, long bytes) {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      submit(
          task,
          bytes,
          done -> {
            try {
              result.complete(done.get());
            } catch (ExecutionException e) {
              result.completeExceptionally(e.getCause());
            } catch (CancellationException e) {
              result.completeExceptionally(e);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt(); // cannot happen: the task is done
              result.completeExceptionally(e);
            }
          });
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
    return result;
  }

  private void release(long bytes) {
    heldBytes.addAndGet(-bytes);
    heldTasks.decrementAndGet();
  }

  private static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
  }

  /** The most bytes the tasks waiting and running may declare together. */
  long memoryBudget() {
    return memoryBudget;
  }

  /** Sets {@link #memoryBudget()}; tasks already taken are not affected. */
  void memoryBudget(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException(
          "the inference memory budget must be at least 1 byte, got " + bytes);
    }
    this.memoryBudget = bytes;
  }

  /** Bytes declared by the tasks waiting or running now. */
  long heldBytes() {
    return heldBytes.get();
  }

  /**
   * True on one of this pool's threads: a task that waited there for another queued task could
   * deadlock a full pool, so such callers run the work themselves.
   */
  boolean onPoolThread() {
    return Thread.currentThread() instanceof Worker w && w.pool == this;
  }

  /** Tasks waiting for a thread. */
  int queueDepth() {
    return executor.getQueue().size();
  }

  /** Threads running a task now. */
  int active() {
    return executor.getActiveCount();
  }

  /** Tasks refused because the queue was full, since start. */
  long rejections() {
    return rejections.sum();
  }

  /**
   * Stops taking work and waits for running tasks. Returns false when some are still running after
   * the grace period (their native model calls cannot be interrupted), in which case the caller
   * must not release the models under them.
   */
  boolean shutdown(long graceMillis) {
    executor.shutdown();
    try {
      if (executor.awaitTermination(graceMillis, TimeUnit.MILLISECONDS)) {
        return true;
      }
      executor.shutdownNow(); // drops queued tasks; running ones finish their model call
      return executor.awaitTermination(graceMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      executor.shutdownNow();
      return false;
    }
  }

  @Override
  public void close() {
    shutdown(10_000);
  }
}
