package dev.udriver.runtime.linux;

import static dev.udriver.runtime.linux.LinuxTestSupport.accounted;
import static dev.udriver.runtime.linux.LinuxTestSupport.assumeLinux;
import static dev.udriver.runtime.linux.LinuxTestSupport.uniqueName;
import static dev.udriver.runtime.linux.LinuxTestSupport.wiring;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.Interrupt;
import dev.udriver.runtime.InterruptConfig;
import dev.udriver.runtime.InterruptStatistics;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * One million eventfd interrupts while the device is stopped and started over and over, with an
 * ISR and a work item that sometimes throw: no signal lost or dropped, the dispatcher survives, the
 * heap does not grow. {@code -Dudriver.soak.interrupts=N} changes the count.
 */
class EventFdSoakTest {

  private static final long INTERRUPTS = Long.getLong("udriver.soak.interrupts", 1_000_000);

  @Test
  void millionInterruptsAcrossStopStartCyclesWithThrowingCallbacks() throws Exception {
    assumeLinux();
    AtomicLong isrCalls = new AtomicLong();
    AtomicLong isrThrew = new AtomicLong();
    AtomicLong workThrew = new AtomicLong();
    InterruptConfig config =
        InterruptConfig.builder(
                "msi",
                (interrupt, id) -> {
                  long n = isrCalls.incrementAndGet();
                  interrupt.queueWorkItemForIsr();
                  if (n % 997 == 0) {
                    isrThrew.incrementAndGet();
                    throw new IllegalStateException("ISR failure " + n);
                  }
                  return true;
                })
            .workItem(
                (interrupt, device) -> {
                  if (ThreadLocalRandomHolder.next() % 101 == 0) {
                    workThrew.incrementAndGet();
                    throw new IllegalStateException("work item failure");
                  }
                })
            .build();
    LinuxTestSupport.Recording listener = new LinuxTestSupport.Recording();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    try (EventFdHardware hardware = EventFdHardware.builder().messages("msi", 2).build();
        DeviceNode device = DeviceNode.create(uniqueName("soak"), hardware, listener)) {
      device.addDriver(new Object(), wiring(config));
      device.start();
      long heapBefore = usedHeapAfterGc(memory);
      long start = System.nanoTime();
      Thread[] producers = new Thread[2];
      for (int p = 0; p < producers.length; p++) {
        EventFdSource source = hardware.source("msi", p);
        producers[p] =
            Thread.ofPlatform()
                .name("soak-producer-" + p)
                .start(
                    () -> {
                      for (long i = 0; i < INTERRUPTS / 2; i++) {
                        source.signal();
                        if ((i & 31) == 0) {
                          LockSupport.parkNanos(20_000); // let the dispatcher sleep and wake
                        }
                      }
                    });
      }
      int cycles = 0;
      while (producers[0].isAlive() || producers[1].isAlive()) {
        Thread.sleep(15);
        device.stop();
        cycles++;
        Thread.sleep(2);
        device.start();
      }
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (totalSignals(device) < INTERRUPTS) {
        if (System.nanoTime() > deadline) {
          fail("signals lost: " + totalSignals(device) + " of " + INTERRUPTS);
        }
        Thread.sleep(1);
      }
      // The dispatcher is alive and serving after all of it.
      long before = totalSignals(device);
      hardware.signal("msi", 0);
      while (totalSignals(device) == before) {
        if (System.nanoTime() > deadline) {
          fail("the dispatcher stopped serving");
        }
        Thread.sleep(1);
      }
      device.stop();
      long seconds = (System.nanoTime() - start) / 1_000_000;
      long failures = 0;
      for (Interrupt interrupt : device.getInterrupts()) {
        InterruptStatistics stats = interrupt.getStatistics();
        assertTrue(accounted(stats), stats::toString);
        // Every eventfd write is an ISR call or coalesced into one, across all cycles: a stop
        // leaves the counts it does not read in the kernel counter for the next start.
        assertEquals(0, stats.dropped(), stats::toString);
        assertEquals(stats.signals(), stats.isrCalls() + stats.coalesced(), stats::toString);
        failures += stats.callbackFailures();
      }
      assertEquals(INTERRUPTS + 1, totalSignals(device));
      assertEquals(isrThrew.get() + workThrew.get(), failures);
      assertEquals(failures, listener.failures.size());
      assertTrue(isrThrew.get() > 0 || INTERRUPTS < 100_000);
      listener.failures.clear();
      long heapAfter = usedHeapAfterGc(memory);
      long growth = heapAfter - heapBefore;
      System.out.printf(
          "soak: %d interrupts, %d stop/start cycles, %d ms, ISR calls %d, ISR failures %d,"
              + " work-item failures %d, heap after GC %d -> %d bytes (%+d)%n",
          INTERRUPTS, cycles, seconds, isrCalls.get(), isrThrew.get(), workThrew.get(),
          heapBefore, heapAfter, growth);
      for (Interrupt interrupt : device.getInterrupts()) {
        System.out.println("soak: " + interrupt + " " + interrupt.getStatistics());
      }
      assertTrue(cycles > 3, "too few stop/start cycles: " + cycles);
      assertTrue(growth < 4 * 1024 * 1024, "heap grew by " + growth + " bytes");
    }
  }

  private static long totalSignals(DeviceNode device) {
    long total = 0;
    for (Interrupt interrupt : device.getInterrupts()) {
      total += interrupt.getStatistics().signals();
    }
    return total;
  }

  private static long usedHeapAfterGc(MemoryMXBean memory) throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  /** A cheap pseudo-random sequence for the worker thread. */
  private static final class ThreadLocalRandomHolder {
    private static long state = 88172645463325252L;

    static long next() {
      state ^= state << 13;
      state ^= state >>> 7;
      state ^= state << 17;
      return state & Long.MAX_VALUE;
    }
  }
}
