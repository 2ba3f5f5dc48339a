package dev.udriver.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.runtime.linux.EventFdHardware;
import dev.udriver.runtime.linux.LinuxInterfaceException;
import dev.udriver.runtime.linux.LinuxInterrupts;
import dev.udriver.runtime.sim.SimulatedHardware;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The kill switch {@code -Dudriver.linux.disabled=true} in a JVM of its own (the property is read
 * once, when {@link LinuxInterrupts} initialises, so this JVM cannot test it): Linux sources fail
 * with a clear PLATFORM error naming the switch, and a simulated device still works.
 */
class LinuxDisabledTest {

  @Test
  void withLinuxDisabledLinuxSourcesFailClearlyAndSimulatedOnesWork() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-D" + LinuxInterrupts.DISABLED_PROPERTY + "=true",
                    "--enable-native-access=ALL-UNNAMED",
                    "-cp",
                    System.getProperty("java.class.path"),
                    Child.class.getName()))
            .redirectErrorStream(true)
            .start();
    boolean ended = child.waitFor(30, TimeUnit.SECONDS);
    if (!ended) {
      child.destroyForcibly();
    }
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(ended, "the child JVM did not end: " + output);
    assertEquals(0, child.exitValue(), output);
    assertTrue(output.contains("PLATFORM: Linux interrupt sources are unavailable"), output);
    assertTrue(output.contains("disabled by -Dudriver.linux.disabled=true"), output);
    assertTrue(output.contains("simulated ISR calls: 1"), output);
  }

  /** Runs in the child JVM; exits non-zero on any surprise. */
  public static final class Child {
    public static void main(String[] args) throws IOException, InterruptedException {
      if (LinuxInterrupts.isAvailable()) {
        System.out.println("Linux interrupts still available");
        System.exit(2);
      }
      try (EventFdHardware ignored = EventFdHardware.builder().message("msi").build()) {
        System.out.println("an eventfd source was built with Linux disabled");
        System.exit(3);
      } catch (LinuxInterfaceException expected) {
        if (expected.missing() != LinuxInterfaceException.Missing.PLATFORM) {
          System.out.println("wrong kind: " + expected.missing());
          System.exit(4);
        }
        System.out.println(expected.getMessage());
      }
      SimulatedHardware hardware = SimulatedHardware.builder().edge("a").build();
      DriverWiring<Object> wiring =
          HandWiring.of(InterruptConfig.builder("a", (interrupt, id) -> true).build());
      try (DeviceNode device = DeviceNode.create("disabled", hardware)) {
        device.addDriver(new Object(), wiring);
        device.start();
        hardware.interrupt("a").fire();
        Interrupt a = device.getInterrupts().getFirst();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (a.getStatistics().isrCalls() < 1 && System.nanoTime() < deadline) {
          Thread.sleep(1);
        }
        device.stop();
        System.out.println("simulated ISR calls: " + a.getStatistics().isrCalls());
      }
      System.exit(0);
    }
  }
}
