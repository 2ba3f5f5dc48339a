package dev.udriver.testkit.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.InterruptStatistics;
import dev.udriver.runtime.VerifierFinding;
import dev.udriver.runtime.sim.RegisterBlock;
import dev.udriver.runtime.sim.SimulatedHardware;
import dev.udriver.runtime.sim.Simulation;
import dev.udriver.testkit.SimulationExtension;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The worked example of the README: unit-testing a driver without hardware. */
@ExtendWith(SimulationExtension.class)
class CounterDriverTest {

  private RegisterBlock registers;
  private SimulatedHardware hardware;

  @BeforeEach
  void device() {
    hardware = SimulatedHardware.builder().level("irq").build();
    registers = new RegisterBlock(16);
    // Device behaviour: acknowledging STATUS clears the bits and de-asserts the level line.
    registers.onWrite(
        CounterDriver.STATUS,
        (regs, current, written) -> {
          int left = current & ~written;
          if (left == 0) {
            hardware.interrupt("irq").deassertLine();
          }
          return left;
        });
  }

  /** The device raising one event: a status bit, a count, the line asserted. */
  private void event() {
    registers.setBits(CounterDriver.STATUS, 1);
    registers.set(CounterDriver.COUNT, registers.peek(CounterDriver.COUNT) + 1);
    hardware.interrupt("irq").assertLine();
  }

  @Test
  void eventsReachTheWorkItemInTheOrderTheTestChooses(Simulation sim) {
    CounterDriver driver = new CounterDriver(registers);
    DeviceNode device = sim.device("counter", hardware);
    device.addDriver(driver); // the processor generated CounterDriver_Wiring
    device.start();
    assertEquals(1, registers.peek(CounterDriver.CONTROL), "enabled at D0 entry");

    event();
    event(); // before any ISR ran: both in one ISR call
    sim.runPendingIsrs();
    assertEquals(0, driver.total, "the work item has not run yet");

    event(); // a third event while the work item is still queued
    sim.runPendingIsrs();
    sim.runWorkItems();
    assertEquals(3, driver.total, "the work item read the device's count");
    assertEquals(2, driver.isrCallsSeen, "two ISR calls: the first two events merged");

    InterruptStatistics stats = device.getInterrupts().get(0).getStatistics();
    assertEquals(2, stats.isrCalls());
    assertEquals(2, stats.claimed());
    assertEquals(1, stats.workItemsRun());
    assertEquals(1, stats.workItemsCoalesced());

    device.stop();
    assertEquals(0, registers.peek(CounterDriver.CONTROL), "disabled at D0 exit");
  }

  @Test
  void deviceBehaviourOnTheVirtualClock(Simulation sim) {
    CounterDriver driver = new CounterDriver(registers);
    DeviceNode device = sim.device("counter", hardware);
    device.addDriver(driver);
    device.start();
    for (int ms = 1; ms <= 3; ms++) {
      sim.schedule(Duration.ofMillis(ms), this::event); // an event every millisecond
    }
    sim.advance(Duration.ofMillis(2));
    sim.runUntilIdle();
    assertEquals(2, driver.total);
    sim.advance(Duration.ofMillis(1));
    sim.runUntilIdle();
    assertEquals(3, driver.total);
  }

  @Test
  @SimulationExtension.AllowFindings
  void theVerifierCatchesASlowIsr(Simulation sim) {
    DeviceNode device = sim.device("counter", hardware);
    device.addDriver(
        new CounterDriver(registers) {
          @Override
          boolean isr(dev.udriver.runtime.Interrupt interrupt) {
            sim.clock().advance(Duration.ofNanos(100_000)); // the ISR "takes" 100 µs
            return super.isr(interrupt);
          }
        },
        dev.udriver.runtime.DriverWiring.forDriverClass(CounterDriver.class));
    device.start();
    event();
    sim.runPendingIsrs();
    assertEquals(VerifierFinding.ISR_OVER_BUDGET, sim.findings().get(0).rule());
  }

  @Test
  @SimulationExtension.Threaded
  void theSameDriverOnRealThreads(Simulation sim) {
    CounterDriver driver = new CounterDriver(registers);
    DeviceNode device = sim.device("counter", hardware);
    device.addDriver(driver);
    device.start();
    event();
    sim.awaitIdle();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (driver.total != 1 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(1, driver.total);
  }
}
