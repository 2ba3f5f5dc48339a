package dev.udriver.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.DispatcherGroup;
import dev.udriver.runtime.HandWiring;
import dev.udriver.runtime.InterruptConfig;
import dev.udriver.runtime.InterruptStatistics;
import dev.udriver.runtime.sim.SimulatedHardware;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The statistics read after {@code stop()} returns count every ISR call the dispatcher made: a stop
 * waits until the dispatcher finished its bookkeeping for the signals it took, not only until the
 * ISR returned. (The sample UART test saw {@code signals != isrCalls + coalesced + dropped} under
 * load when a stop read the statistics while the dispatcher was between the two.)
 */
class StatisticsAfterStopTest {

  /** Stalls the dispatcher at the clock read that ends the timing of the ISR armed it. */
  static final class StallingClock implements NanoClock {
    volatile boolean armed;
    final CountDownLatch stalled = new CountDownLatch(1);
    final CountDownLatch resume = new CountDownLatch(1);

    @Override
    public long nanoTime() {
      if (armed) {
        armed = false;
        stalled.countDown();
        try {
          resume.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return System.nanoTime();
    }
  }

  @Test
  void stopWaitsForTheDispatchersBookkeepingOfTheLastIsrCall() throws Exception {
    StallingClock clock = new StallingClock();
    DispatcherPool pool =
        new DispatcherPool(
            new DispatcherPool.Settings(
                "stats-stop", 1, ParkWaitStrategy.FACTORY, ThreadPinning.NONE, clock, true, false,
                message -> {}));
    InterruptConfig config =
        InterruptConfig.builder(
                "irq",
                (interrupt, id) -> {
                  clock.armed = true; // the dispatcher's next clock read is the one after this ISR
                  return true;
                })
            .build();
    SimulatedHardware hardware = SimulatedHardware.builder().edge("irq").build();
    try (DispatcherGroup group = DispatcherGroup.ofPool("stats-stop", pool);
        DeviceNode device = group.device("dev", hardware).verifier(false).build()) {
      device.addDriver(
          new Object(),
          HandWiring.of(config));
      device.start();
      hardware.interrupt("irq").fire();
      assertTrue(clock.stalled.await(10, TimeUnit.SECONDS), "the ISR never ran");

      AtomicReference<InterruptStatistics> afterStop = new AtomicReference<>();
      Thread stopper =
          Thread.ofPlatform()
              .start(
                  () -> {
                    device.stop();
                    afterStop.set(device.getInterrupts().getFirst().getStatistics());
                  });
      // The stopper either waits for the stalled dispatcher (correct) or has already returned.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (stopper.getState() != Thread.State.TIMED_WAITING
          && stopper.getState() != Thread.State.WAITING
          && stopper.isAlive()) {
        assertTrue(System.nanoTime() < deadline, "the stopper neither waited nor ended");
        Thread.onSpinWait();
      }
      clock.resume.countDown();
      stopper.join(TimeUnit.SECONDS.toMillis(10));

      InterruptStatistics statistics = afterStop.get();
      assertEquals(1, statistics.signals());
      assertEquals(1, statistics.isrCalls(), statistics::toString);
      assertEquals(
          statistics.signals(),
          statistics.isrCalls() + statistics.coalesced() + statistics.dropped());
    }
  }
}
