package dev.udriver.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.HandWiring;
import dev.udriver.runtime.InterruptConfig;
import dev.udriver.runtime.InterruptStatistics;
import dev.udriver.runtime.sim.SimulatedHardware;
import dev.udriver.runtime.sim.Simulation;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * ISR timing reads the clock once per batch: each call of a batch is recorded with an equal share
 * of the batch's time; a call served alone is recorded with its own time; with the verifier on,
 * each call is timed on its own (its budget check needs it).
 */
class BatchTimingTest {

  private static DeviceNode device(Simulation sim, SimulatedHardware hardware, boolean verifier) {
    // Message m's ISR "takes" (m + 1) µs of virtual time.
    InterruptConfig config =
        InterruptConfig.builder(
                "q",
                (interrupt, messageId) -> {
                  sim.clock().advance(Duration.ofNanos(1_000L * (messageId + 1)));
                  return true;
                })
            .build();
    DeviceNode device = sim.deviceBuilder("batch", hardware).verifier(verifier).build();
    device.addDriver(
        new Object(),
        HandWiring.of(config));
    device.start();
    return device;
  }

  @Test
  void eachCallOfABatchIsRecordedWithItsShareAndALoneCallWithItsOwnTime() {
    try (Simulation sim = Simulation.deterministic()) {
      SimulatedHardware hardware = SimulatedHardware.builder().msi("q", 4).build();
      DeviceNode device = device(sim, hardware, false);
      for (int m = 0; m < 4; m++) {
        hardware.interrupt("q").fire(m);
      }
      assertEquals(1, sim.runPendingIsrs(), "one batch");
      for (int m = 0; m < 4; m++) {
        InterruptStatistics stats = device.getInterrupts().get(m).getStatistics();
        assertEquals(1, stats.isrCalls());
        assertEquals(1, stats.isrTime().count());
        assertEquals(10_000 / 4, stats.maxIsrNanos(), "message " + m + ": 1+2+3+4 µs shared by 4");
      }
      hardware.interrupt("q").fire(3);
      sim.runPendingIsrs();
      InterruptStatistics alone = device.getInterrupts().get(3).getStatistics();
      assertEquals(2, alone.isrTime().count());
      assertEquals(4_000, alone.maxIsrNanos(), "served alone: its own time");
    }
  }

  @Test
  void withTheVerifierEachCallIsTimedOnItsOwn() {
    try (Simulation sim = Simulation.deterministic()) {
      SimulatedHardware hardware = SimulatedHardware.builder().msi("q", 4).build();
      DeviceNode device = device(sim, hardware, true);
      for (int m = 0; m < 4; m++) {
        hardware.interrupt("q").fire(m);
      }
      assertEquals(1, sim.runPendingIsrs(), "one batch");
      for (int m = 0; m < 4; m++) {
        InterruptStatistics stats = device.getInterrupts().get(m).getStatistics();
        assertEquals(1, stats.isrTime().count());
        assertEquals(1_000L * (m + 1), stats.maxIsrNanos(), "message " + m);
      }
    }
  }
}
