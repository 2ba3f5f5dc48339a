package dev.udriver.samples.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.InterruptStatistics;
import dev.udriver.runtime.sim.SimulatedHardware;
import dev.udriver.runtime.sim.Simulation;
import org.junit.jupiter.api.Test;

/** The timer driver on a simulated timer, where the test decides when periods overrun. */
class PeriodicTimerDriverTest {

  @Test
  void overrunPeriodsCountAsTicksOfOneIsrCall() {
    PeriodicTimerDriver driver = new PeriodicTimerDriver();
    SimulatedHardware timer = SimulatedHardware.builder().edge("tick").build();
    try (Simulation sim = Simulation.deterministic()) {
      DeviceNode device = sim.device("timer", timer);
      device.addDriver(driver);
      device.start();

      timer.interrupt("tick").fire(); // one period, served in time
      sim.runPendingIsrs();
      assertEquals(1, driver.ticks());

      timer.interrupt("tick").fire(0, 3); // one timerfd read: three expirations, two overran
      sim.runPendingIsrs();
      timer.interrupt("tick").fire();
      timer.interrupt("tick").fire(); // two periods elapsed before the dispatcher came round
      sim.runPendingIsrs();
      sim.runWorkItems();

      assertEquals(6, driver.ticks(), "every period elapsed is a tick");
      assertEquals(3, driver.isrCalls());
      assertEquals(1, driver.processed(), "the queued work item ran once for all three calls");
      InterruptStatistics stats = device.getInterrupts().getFirst().getStatistics();
      assertEquals(stats.signals(), driver.ticks());
      assertEquals(3, stats.coalesced());
      device.stop();
      sim.assertClean();
    }
  }
}
