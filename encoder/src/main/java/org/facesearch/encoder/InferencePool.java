package org.facesearch.encoder;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A fixed number of inference threads with a bounded queue in front. Bounding the queue is the
 * point: a burst of large bulk requests must not pile up unbounded work and memory, so a task
 * arriving when {@code queueSize} tasks already wait is refused at once with
 * {@link InferenceRejectedException}.
 */
final class InferencePool implements AutoCloseable {
    private final ThreadPoolExecutor executor;
    private final int threads;
    private final int queueSize;
    private final LongAdder rejections = new LongAdder();

    InferencePool(int threads, int queueSize, String name) {
        this.threads = threads;
        this.queueSize = queueSize;
        BlockingQueue<Runnable> queue = queueSize == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queueSize);
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 0L, TimeUnit.MILLISECONDS, queue,
            r -> new Worker(this, r, name + "-" + n.incrementAndGet()), new ThreadPoolExecutor.AbortPolicy());
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

    /** Queues {@code task}; throws {@link InferenceRejectedException} when the queue is full. */
    <T> Future<T> submit(Callable<T> task) {
        try {
            return executor.submit(task);
        } catch (RejectedExecutionException e) {
            if (executor.isShutdown()) {
                throw new IllegalStateException("the face encoder is closed", e);
            }
            rejections.increment();
            throw new InferenceRejectedException("the face inference queue is full (" + queueSize + " tasks waiting for " + threads
                + " threads); retry later, or raise the inference queue size");
        }
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
     * Stops taking work and waits for running tasks. Returns false when some are still running
     * after the grace period (their native model calls cannot be interrupted), in which case the
     * caller must not release the models under them.
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
