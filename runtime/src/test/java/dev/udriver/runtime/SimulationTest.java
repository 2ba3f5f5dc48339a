package dev.udriver.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.runtime.sim.SimulatedHardware;
import dev.udriver.runtime.sim.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The deterministic simulation: the test decides when ISRs and work items run. */
class SimulationTest {

  @Test
  void isrsAndWorkItemsRunOnlyWhenTheTestSaysAndSignalsCoalesce() {
    List<String> trace = new ArrayList<>();
    SimulatedHardware hardware = SimulatedHardware.builder().edge("rx").build();
    try (Simulation sim = Simulation.deterministic()) {
      DeviceNode device = sim.device("dev", hardware);
      device.addDriver(
          new Object(),
          TestSupport.wiring(
              InterruptConfig.builder(
                      "rx",
                      (i, id) -> {
                        trace.add("isr");
                        i.queueWorkItemForIsr();
                        return true;
                      })
                  .workItem((i, d) -> trace.add("work"))
                  .build()));
      device.start();
      Interrupt rx = device.getInterrupts().get(0);
      hardware.interrupt("rx").fire();
      hardware.interrupt("rx").fire();
      hardware.interrupt("rx").fire();
      assertTrue(trace.isEmpty(), "nothing runs by itself");
      assertTrue(sim.hasPendingIsrs());
      sim.runPendingIsrs();
      assertEquals(List.of("isr"), trace, "three edges, one ISR call");
      hardware.interrupt("rx").fire();
      sim.runPendingIsrs();
      assertEquals(List.of("isr", "isr"), trace, "the work item is still queued");
      sim.runWorkItems();
      assertEquals(List.of("isr", "isr", "work"), trace);
      InterruptStatistics stats = rx.getStatistics();
      assertEquals(4, stats.signals());
      assertEquals(2, stats.isrCalls());
      assertEquals(2, stats.coalesced());
      assertEquals(1, stats.workItemsQueued());
      assertEquals(1, stats.workItemsCoalesced());
      assertEquals(1, stats.workItemsRun());
      sim.assertClean();
    }
  }

  @Test
  void virtualTimeMeasuresLatencyAndRunsScheduledDeviceBehaviour() {
    SimulatedHardware hardware = SimulatedHardware.builder().edge("rx").build();
    try (Simulation sim = Simulation.deterministic()) {
      DeviceNode device = sim.device("dev", hardware);
      device.addDriver(
          new Object(),
          TestSupport.wiring(
              InterruptConfig.builder("rx", (i, id) -> i.queueWorkItemForIsr())
                  .workItem((i, d) -> {})
                  .build()));
      device.start();
      sim.schedule(Duration.ofMillis(5), () -> hardware.interrupt("rx").fire());
      sim.advance(Duration.ofMillis(4));
      assertFalse(sim.hasPendingIsrs());
      sim.advance(Duration.ofMillis(1));
      assertTrue(sim.hasPendingIsrs());
      sim.runPendingIsrs();
      sim.advance(Duration.ofNanos(300_000));
      sim.runWorkItems();
      InterruptStatistics stats = device.getInterrupts().get(0).getStatistics();
      assertEquals(300_000, stats.maxWorkItemLatencyNanos());
      assertEquals(1, stats.workItemLatency().count());
      assertEquals(0, stats.maxIsrNanos(), "no virtual time passed inside the ISR");
      assertEquals(Duration.ofNanos(5_300_000), sim.clock().elapsed());
    }
  }

  @Test
  void levelLineRefiresUntilTheIsrClearsTheDevice() {
    SimulatedHardware hardware = SimulatedHardware.builder().level("irq").build();
    int[] calls = {0};
    try (Simulation sim = Simulation.deterministic()) {
      DeviceNode device = sim.device("dev", hardware);
      device.addDriver(
          new Object(),
          TestSupport.wiring(
              InterruptConfig.builder(
                      "irq",
                      (i, id) -> {
                        if (++calls[0] == 3) {
                          hardware.interrupt("irq").deassertLine(); // cleared on the third call
                        }
                        return calls[0] == 3;
                      })
                  .build()));
      device.start();
      hardware.interrupt("irq").assertLine();
      sim.runPendingIsrs();
      assertEquals(3, calls[0]);
      assertEquals(2, device.getInterrupts().get(0).getStatistics().unclaimed());
    }
  }

  @Test
  void stopServesPendingIsrsBeforeDisableAndDrainsWorkItems() {
    List<String> trace = new ArrayList<>();
    SimulatedHardware hardware = SimulatedHardware.builder().edge("rx").build();
    try (Simulation sim = Simulation.deterministic()) {
      DeviceNode device = sim.device("dev", hardware);
      device.addDriver(
          new Object(),
          TestSupport.wiring(
              InterruptConfig.builder(
                      "rx",
                      (i, id) -> {
                        trace.add("isr");
                        return i.queueWorkItemForIsr();
                      })
                  .workItem((i, d) -> trace.add("work"))
                  .enable((i, d) -> trace.add("enable"))
                  .disable((i, d) -> trace.add("disable"))
                  .build()));
      device.start();
      hardware.interrupt("rx").fire();
      device.stop();
      assertEquals(List.of("enable", "isr", "disable", "work"), trace);
      assertFalse(sim.hasQueuedWorkItems());
    }
  }

  /**
   * A stop serves its device's pending signal at once; the other devices' pending signals on the
   * same dispatcher stay pending, in order, and nothing is lost when the stopped device starts
   * again and interrupts before the test runs the pending ISRs.
   */
  @Test
  void aStopAmongPendingInterruptsOfOtherDevicesLosesNone() {
    List<String> trace = new ArrayList<>();
    SimulatedHardware first = SimulatedHardware.builder().edge("irq").build();
    SimulatedHardware stopped = SimulatedHardware.builder().edge("irq").build();
    SimulatedHardware last = SimulatedHardware.builder().edge("irq").build();
    try (Simulation sim = Simulation.deterministic()) {
      DeviceNode firstDevice = tracing(sim, "first", first, trace);
      DeviceNode stoppedDevice = tracing(sim, "stopped", stopped, trace);
      DeviceNode lastDevice = tracing(sim, "last", last, trace);
      first.interrupt("irq").fire();
      stopped.interrupt("irq").fire();
      last.interrupt("irq").fire();

      stoppedDevice.stop();
      assertEquals(List.of("stopped"), trace, "the stop served its own pending signal only");
      assertTrue(sim.hasPendingIsrs(), "the other devices' signals are still pending");
      stoppedDevice.start();
      stopped.interrupt("irq").fire();
      sim.runPendingIsrs();

      assertEquals(List.of("stopped", "first", "last", "stopped"), trace);
      assertFalse(sim.hasPendingIsrs());
      assertEquals(1, firstDevice.getInterrupts().get(0).getStatistics().isrCalls());
      assertEquals(1, lastDevice.getInterrupts().get(0).getStatistics().isrCalls());
      sim.assertClean();
    }
  }

  private static DeviceNode tracing(
      Simulation sim, String name, SimulatedHardware hardware, List<String> trace) {
    DeviceNode device = sim.device(name, hardware);
    device.addDriver(
        new Object(),
        TestSupport.wiring(
            InterruptConfig.builder(
                    "irq",
                    (i, id) -> {
                      trace.add(name);
                      return true;
                    })
                .build()));
    device.start();
    return device;
  }

  @Test
  void threadedModeRunsOnRealThreads() {
    SimulatedHardware hardware = SimulatedHardware.builder().edge("rx").build();
    try (Simulation sim = Simulation.threaded()) {
      DeviceNode device = sim.device("dev", hardware);
      String[] thread = new String[1];
      device.addDriver(
          new Object(),
          TestSupport.wiring(
              InterruptConfig.builder(
                      "rx",
                      (i, id) -> {
                        thread[0] = Thread.currentThread().getName();
                        return true;
                      })
                  .build()));
      device.start();
      hardware.interrupt("rx").fire();
      TestSupport.await("ISR", () -> device.getInterrupts().get(0).getStatistics().isrCalls() == 1);
      sim.awaitIdle();
      assertTrue(thread[0].startsWith("udriver-isr-simt-"), thread[0]);
      sim.assertClean();
    }
  }
}
