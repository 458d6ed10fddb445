package org.facesearch.bench.encoder;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.facesearch.image.ImageDecoder;
import org.facesearch.image.ImageLimits;

/**
 * The decode path's cost on a shared, loaded machine: {@link DecodeBenchmark}'s {@code decoder}
 * (the product) and {@code previousPath} (before plain JPEGs were read straight into R, G, B
 * memory) alternated round by round on one thread and timed in thread CPU time, so other
 * processes' load inflates both alike instead of whichever ran during a busy spell. Prints the
 * median over rounds of each and their ratio, and the load average.
 *
 * <pre>benchmarks/run org.facesearch.bench.encoder.DecodeCost [ROUNDS=40] [PHOTOS=200]</pre>
 */
public final class DecodeCost {
    private DecodeCost() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        List<byte[]> photos = EncoderLatency.lfwImages(count);
        ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
        DecodeBenchmark previous = new DecodeBenchmark();
        previous.setUp();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "%d LFW photos, %d rounds, load average %.2f on %d cores%n", photos.size(), rounds,
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), BenchSupport.cores());
        // Warm-up until the JIT has compiled both paths (on a loaded machine its threads are slow too).
        for (int i = 0; i < 15; i++) {
            for (byte[] p : photos) {
                decoder.decode(p);
                previous.previousPath();
            }
        }
        double[] now = new double[rounds];
        double[] before = new double[rounds];
        long sink = 0;
        for (int r = 0; r < rounds; r++) {
            for (int variant = 0; variant < 2; variant++) {
                boolean product = (variant + r) % 2 == 0; // alternate which goes first
                long start = threads.getCurrentThreadCpuTime();
                for (byte[] p : photos) {
                    sink += product ? decoder.decode(p).pixels()[0] : previous.previousPath().pixels()[0];
                }
                double us = (threads.getCurrentThreadCpuTime() - start) / 1e3 / photos.size();
                (product ? now : before)[r] = us;
            }
        }
        double a = median(now);
        double b = median(before);
        System.out.printf(Locale.ROOT, "decoder (product)   %7.1f us CPU per photo (median of %d rounds)%n", a, rounds);
        System.out.printf(Locale.ROOT, "previous path       %7.1f us CPU per photo%n", b);
        System.out.printf(Locale.ROOT, "ratio product/previous %.3f; load average now %.2f (checksum %d)%n", a / b,
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), sink);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
