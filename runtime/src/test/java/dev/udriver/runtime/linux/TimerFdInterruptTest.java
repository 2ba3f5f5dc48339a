package dev.udriver.runtime.linux;

import static dev.udriver.runtime.linux.LinuxTestSupport.accounted;
import static dev.udriver.runtime.linux.LinuxTestSupport.assumeLinux;
import static dev.udriver.runtime.linux.LinuxTestSupport.await;
import static dev.udriver.runtime.linux.LinuxTestSupport.uniqueName;
import static dev.udriver.runtime.linux.LinuxTestSupport.wiring;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.Interrupt;
import dev.udriver.runtime.InterruptConfig;
import dev.udriver.runtime.InterruptStatistics;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real timerfd ticks through epoll, the ISR and the work item. */
class TimerFdInterruptTest {

  @BeforeEach
  void linuxOnly() {
    assumeLinux();
  }

  @Test
  void ticksRunTheIsrAndWorkItemAndStopWithTheDevice() throws Exception {
    AtomicLong isr = new AtomicLong();
    AtomicLong work = new AtomicLong();
    InterruptConfig config =
        InterruptConfig.builder(
                "tick",
                (interrupt, id) -> {
                  isr.incrementAndGet();
                  interrupt.queueWorkItemForIsr();
                  return true;
                })
            .workItem((interrupt, device) -> work.incrementAndGet())
            .build();
    try (TimerFdHardware timer =
            TimerFdHardware.builder().periodic("tick", Duration.ofMillis(1)).build();
        DeviceNode device = DeviceNode.create(uniqueName("timer"), timer)) {
      device.addDriver(new Object(), wiring(config));
      device.start();
      Interrupt interrupt = device.getInterrupts().getFirst();
      await("50 ticks", () -> interrupt.getStatistics().signals() >= 50);
      device.stop();
      InterruptStatistics stopped = interrupt.getStatistics();
      assertTrue(accounted(stopped), stopped::toString);
      assertEquals(isr.get(), stopped.isrCalls());
      assertTrue(work.get() >= 1);
      Thread.sleep(20); // disarmed: no more ticks
      assertEquals(stopped.signals(), interrupt.getStatistics().signals());
      device.start(); // re-armed
      await("ticks after restart", () -> interrupt.getStatistics().signals() > stopped.signals() + 5);
    }
  }

  @Test
  void overrunsSurfaceAsCoalescedTicks() throws Exception {
    CountDownLatch first = new CountDownLatch(1);
    InterruptConfig config =
        InterruptConfig.builder(
                "tick",
                (interrupt, id) -> {
                  if (first.getCount() > 0) {
                    first.countDown();
                    try {
                      Thread.sleep(30); // ~30 expirations pile up in the timerfd
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }
                  return true;
                })
            .build();
    try (TimerFdHardware timer =
            TimerFdHardware.builder().periodic("tick", Duration.ofMillis(1)).build();
        DeviceNode device = DeviceNode.create(uniqueName("overrun"), timer)) {
      device.addDriver(new Object(), wiring(config));
      device.start();
      Interrupt interrupt = device.getInterrupts().getFirst();
      first.await();
      await("the overrun was read", () -> interrupt.getStatistics().coalesced() >= 10);
      assertTrue(accounted(interrupt.getStatistics()));
    }
  }
}
