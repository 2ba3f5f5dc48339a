package dev.udriver.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Reading the number of runnable threads from /proc/loadavg, without allocation per read. */
class RunQueueProbeTest {

  private static int parse(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    return RunQueueProbe.parseRunning(ByteBuffer.wrap(bytes), bytes.length);
  }

  @Test
  void parsesTheRunnableCountOfTheFourthField() {
    assertEquals(3, parse("0.08 1.44 3.39 3/250 12345\n"));
    assertEquals(17, parse("10.00 9.50 8.25 17/1024 99\n"));
    assertEquals(-1, parse("0.08 1.44 3.39\n"));
    assertEquals(-1, parse("0.08 1.44 3.39 x/250 1\n"));
  }

  @Test
  void countsAtLeastTheReadingThreadOnLinux() {
    if (!Files.isReadable(Path.of("/proc/loadavg"))) {
      return; // not Linux: the probe answers false and is never asked again
    }
    RunQueueProbe probe = new RunQueueProbe(1);
    assertTrue(probe.runnable() >= 1);
    RunQueueProbe roomy = new RunQueueProbe(Integer.MAX_VALUE);
    assertTrue(!roomy.oversubscribed(System.nanoTime()));
    probe.close();
    roomy.close();
  }
}
