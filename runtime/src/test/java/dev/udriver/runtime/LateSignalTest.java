package dev.udriver.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.annotation.AffinityPolicy;
import dev.udriver.annotation.InterruptPriority;
import dev.udriver.runtime.hardware.InterruptSink;
import dev.udriver.runtime.sim.SimulatedHardware;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * A signal that a source delivers just after the interrupt was disconnected (a fire racing
 * {@code stop()}) waits in its old dispatcher's queue; if the interrupt has meanwhile been started
 * again on another dispatcher, the ISR must still run on that one, never on the old.
 */
@Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
class LateSignalTest {

  @Test
  void aLateSignalQueuedOnTheOldDispatcherIsServedByTheNewOne() throws Exception {
    CountDownLatch blockerEntered = new CountDownLatch(1);
    CountDownLatch releaseBlocker = new CountDownLatch(1);
    List<String> movedIsrThreads = new CopyOnWriteArrayList<>();
    SimulatedHardware blockerHardware = SimulatedHardware.builder().edge("b").build();
    SimulatedHardware movedHardware = SimulatedHardware.builder().edge("m").build();
    try (DispatcherGroup group = DispatcherGroup.builder("late").build();
        DeviceNode blocker = group.device("blocker", blockerHardware).verifier(false).build();
        DeviceNode moved = group.device("moved", movedHardware).verifier(false).build()) {
      blocker.addDriver(
          new Object(),
          HandWiring.of(
              InterruptConfig.builder(
                      "b",
                      (interrupt, id) -> {
                        blockerEntered.countDown();
                        awaitQuietly(releaseBlocker); // keeps the shared dispatcher busy
                        return true;
                      })
                  .build()));
      moved.addDriver(
          new Object(),
          HandWiring.of(
              InterruptConfig.builder(
                      "m",
                      (interrupt, id) -> {
                        movedIsrThreads.add(Thread.currentThread().getName());
                        return true;
                      })
                  .build()));
      blocker.start();
      moved.start();
      Interrupt m = moved.getInterrupts().get(0);
      String oldThread = DeviceNode.dispatcherThreadOf(m);
      assertEquals(oldThread, DeviceNode.dispatcherThreadOf(blocker.getInterrupts().get(0)));

      blockerHardware.interrupt("b").fire();
      assertTrue(blockerEntered.await(10, TimeUnit.SECONDS));
      moved.stop();
      ((InterruptSink) m).signal(1); // late: queued on the old dispatcher, which is busy
      m.setPolicy(AffinityPolicy.SPECIFIED_PROCESSORS, InterruptPriority.NORMAL, 0b1L);
      moved.start();
      String newThread = DeviceNode.dispatcherThreadOf(m);
      assertNotEquals(oldThread, newThread);
      releaseBlocker.countDown();

      TestSupport.await("the late signal's ISR call", () -> m.getStatistics().isrCalls() == 1);
      assertEquals(List.of(newThread), movedIsrThreads);
      InterruptStatistics stats = m.getStatistics();
      assertEquals(stats.signals(), stats.isrCalls() + stats.coalesced() + stats.dropped());
      moved.stop();
      blocker.stop();
    } finally {
      releaseBlocker.countDown();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
