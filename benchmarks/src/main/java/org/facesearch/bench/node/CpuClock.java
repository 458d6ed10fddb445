package org.facesearch.bench.node;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time consumed by a process (user + system, all threads), this JVM's or another local one's.
 * On a machine shared with other work, wall-clock throughput moves with the load, while the CPU
 * time a fixed amount of work costs hardly does; comparing CPU per face isolates the overhead of
 * the node from the load around it.
 */
final class CpuClock {
  /**
   * Linux reports /proc times in clock ticks of USER_HZ, which is 100 on every mainstream kernel
   * configuration.
   */
  static final long TICKS_PER_SECOND = 100;

  private CpuClock() {}

  /** CPU nanoseconds of this JVM so far. */
  static long self() {
    if (!(ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os)) {
      throw new IllegalStateException("this JVM does not report its process CPU time");
    }
    long t = os.getProcessCpuTime();
    if (t < 0) {
      throw new IllegalStateException("this JVM does not report its process CPU time");
    }
    return t;
  }

  /**
   * CPU nanoseconds of {@code node}'s process so far; 0 when its process is unknown (connected by
   * {@code --port}), and then the benchmarks report no CPU figures.
   */
  static long of(Long pid) throws IOException {
    return pid == null ? 0 : of(pid.longValue());
  }

  /** CPU nanoseconds of local process {@code pid} so far, from /proc/PID/stat. */
  static long of(long pid) throws IOException {
    return fromStat(
        Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII));
  }

  /**
   * utime + stime (fields 14 and 15 of proc(5)) in nanoseconds. The command name (field 2) is in
   * parentheses and may hold spaces and parentheses itself, so fields are counted after its last
   * ')'.
   */
  static long fromStat(String stat) {
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("not a /proc/PID/stat line: " + stat);
    }
    String[] f = stat.substring(close + 1).trim().split("\\s+");
    // f[0] is field 3 (state), so field n is f[n - 3].
    if (f.length < 13) {
      throw new IllegalArgumentException("not a /proc/PID/stat line: " + stat);
    }
    long ticks = Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
    return ticks * (1_000_000_000L / TICKS_PER_SECOND);
  }
}
