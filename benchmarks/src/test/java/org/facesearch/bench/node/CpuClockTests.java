package org.facesearch.bench.node;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Assume;
import org.junit.Test;

/** CPU time from a hand-written /proc stat line, and this JVM read both ways. */
public class CpuClockTests {
  @Test
  public void userPlusSystemTicksFromAStatLine() {
    // A command name with a space and a ')' inside; utime 1234 and stime 66 ticks = 13.00 s.
    String stat =
        "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 66 0 0 20 0 57 0 123 456 789";
    assertEquals(13_000_000_000L, CpuClock.fromStat(stat));
  }

  @Test
  public void garbageIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> CpuClock.fromStat("no parentheses here"));
    assertThrows(IllegalArgumentException.class, () -> CpuClock.fromStat("1 (x) S 1 2"));
  }

  @Test
  public void thisProcessIsReadTheSameBothWays() throws Exception {
    Assume.assumeTrue("needs Linux /proc", Files.isDirectory(Path.of("/proc/self")));
    long pid = ProcessHandle.current().pid();
    long viaProc = CpuClock.of(pid);
    long viaJvm = CpuClock.self();
    // /proc counts in 10 ms ticks; both are this JVM's CPU so far, read within microseconds.
    assertTrue(viaProc > 0);
    assertEquals(viaJvm / 1e9, viaProc / 1e9, 0.1);
  }
}
