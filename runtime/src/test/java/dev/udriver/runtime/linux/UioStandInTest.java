package dev.udriver.runtime.linux;

import static dev.udriver.runtime.linux.LinuxTestSupport.accounted;
import static dev.udriver.runtime.linux.LinuxTestSupport.assumeLinux;
import static dev.udriver.runtime.linux.LinuxTestSupport.await;
import static dev.udriver.runtime.linux.LinuxTestSupport.describe;
import static dev.udriver.runtime.linux.LinuxTestSupport.uniqueName;
import static dev.udriver.runtime.linux.LinuxTestSupport.wiring;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.Interrupt;
import dev.udriver.runtime.InterruptConfig;
import dev.udriver.runtime.linux.internal.Libc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The UIO protocol: count reads, write(1) on enable and after each ISR, write(0) on disable. */
class UioStandInTest {

  private static final int STATUS = 0x0;

  @BeforeEach
  void linuxOnly() {
    assumeLinux();
  }

  @Test
  void interruptsAreReadAsCountDeltasAndReArmedAfterEachIsr() throws Exception {
    AtomicLong claimed = new AtomicLong();
    try (UioStandIn uio = UioStandIn.create(4096)) {
      MmioRegisters registers = uio.registers();
      InterruptConfig config =
          InterruptConfig.builder(
                  "",
                  (interrupt, id) -> {
                    int status = registers.read32(STATUS);
                    if (status == 0) {
                      return false;
                    }
                    registers.clearBits(STATUS, status); // acknowledge at the device
                    claimed.incrementAndGet();
                    return true;
                  })
              .build();
      try (DeviceNode device = DeviceNode.create(uniqueName("uio"), uio.hardware())) {
        device.addDriver(new Object(), wiring(config));
        device.start();
        Interrupt interrupt = device.getInterrupts().getFirst();
        assertEquals(List.of(1), uio.controlWrites(), "enable writes 1");
        registers.setBits(STATUS, 1);
        uio.raise();
        await("first ISR", () -> claimed.get() == 1);
        await("re-armed", () -> uio.controlWrites().size() == 2);
        assertEquals(List.of(1, 1), uio.controlWrites());

        // Three interrupts while the line is masked: one count step of 3, one ISR, 2 coalesced.
        registers.setBits(STATUS, 1);
        uio.raise();
        uio.raise(2);
        await("second ISR", () -> claimed.get() == 2);
        await("re-armed", () -> uio.controlWrites().size() >= 3);
        assertTrue(interrupt.getStatistics().signals() >= 2);
        registers.setBits(STATUS, 1);
        await(
            "pending interrupts fired after re-arm",
            () -> uio.controlWrites() != null && interrupt.getStatistics().signals() == 4);
        assertEquals(4, uio.count());
        // Signals are counted when the dispatcher takes them, the call once its ISR returns.
        await("the last call counted", () -> accounted(interrupt.getStatistics()));
        device.stop();
        List<Integer> writes = uio.controlWrites();
        assertEquals(0, writes.getLast(), "disable writes 0: " + writes);
        assertFalse(uio.enabled());
      }
    }
  }

  /**
   * uio_read hands out the whole count at once, so one read per interrupt is all the dispatcher
   * needs. Counted by the kernel: the {@code syscr} of the dispatcher thread (the thread the ISR
   * runs on), which a source that reads until EAGAIN doubles.
   */
  @Test
  void eachInterruptCostsTheDispatcherOneRead() throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/thread-self/io")), "no per-thread I/O accounting");
    int rounds = 200;
    AtomicInteger dispatcherTid = new AtomicInteger();
    AtomicLong claimed = new AtomicLong();
    try (UioStandIn uio = UioStandIn.create(4096)) {
      MmioRegisters registers = uio.registers();
      InterruptConfig config =
          InterruptConfig.builder(
                  "",
                  (interrupt, id) -> {
                    dispatcherTid.set(Libc.gettid());
                    int status = registers.read32(STATUS);
                    registers.clearBits(STATUS, status);
                    claimed.incrementAndGet();
                    return status != 0;
                  })
              .build();
      try (DeviceNode device = DeviceNode.create(uniqueName("uio"), uio.hardware())) {
        device.addDriver(new Object(), wiring(config));
        device.start();
        Interrupt interrupt = device.getInterrupts().getFirst();
        // Warm-up: the first interrupts load classes on the dispatcher, which reads class files.
        for (int i = 1; i <= rounds; i++) {
          raiseAndAwaitReArm(uio, claimed, i);
        }
        long before = readSyscalls(dispatcherTid.get());
        for (int i = rounds + 1; i <= 2 * rounds; i++) {
          raiseAndAwaitReArm(uio, claimed, i);
        }
        long reads = readSyscalls(dispatcherTid.get()) - before;
        assertEquals(2 * rounds, interrupt.getStatistics().isrCalls(), describe(interrupt));
        assertEquals(2 * rounds, interrupt.getStatistics().signals(), describe(interrupt));
        // One a wake; the slack is for stray reads on that thread, far from a second per interrupt.
        assertTrue(
            reads >= rounds && reads < rounds + rounds / 4,
            "read syscalls of the dispatcher for " + rounds + " interrupts: " + reads);
      }
    }
  }

  /**
   * A count left unread while the source is masked is superseded by the next one, as uio_read
   * only reports the current count: whichever count the dispatcher reads after the unmask, the
   * differences add up to every interrupt raised, none counted twice.
   */
  @Test
  void aCountReadAfterAMaskCarriesEveryInterruptSinceTheLastRead() throws Exception {
    AtomicLong isrCalls = new AtomicLong();
    try (UioStandIn uio = UioStandIn.create(4096)) {
      InterruptConfig config =
          InterruptConfig.builder(
                  "",
                  (interrupt, id) -> {
                    isrCalls.incrementAndGet();
                    return true;
                  })
              .build();
      try (DeviceNode device = DeviceNode.create(uniqueName("uio"), uio.hardware())) {
        device.addDriver(new Object(), wiring(config));
        device.start();
        Interrupt interrupt = device.getInterrupts().getFirst();
        raiseAndAwaitReArm(uio, isrCalls, 1);
        assertEquals(1, uio.hardware().source().lastCount());

        uio.hardware().source().mask();
        uio.raise(); // fires: count 2 waits unread, the line stays masked (no re-arm)
        uio.raise(2); // pending at the masked line
        assertEquals(2, uio.count());
        uio.hardware().source().unmask(); // write(1): the pending two fire as count 4
        uio.controlWrites();
        assertEquals(4, uio.count());
        // The dispatcher watches again from the unmask on, so it may still take count 2 before the
        // stand-in supersedes it (two ISRs, then 1 and 2 signals), or only count 4 (one ISR for 3).
        await("count 4 read", () -> uio.hardware().source().lastCount() == 4);
        await("served", () -> isrCalls.get() + interrupt.getStatistics().coalesced() == 4);
        assertEquals(4, interrupt.getStatistics().signals(), describe(interrupt));
        assertTrue(accounted(interrupt.getStatistics()), describe(interrupt));
      }
    }
  }

  private static void raiseAndAwaitReArm(UioStandIn uio, AtomicLong isrCalls, long expected) {
    uio.registers().setBits(STATUS, 1);
    uio.raise();
    await("ISR " + expected, () -> isrCalls.get() == expected);
    await("re-armed after ISR " + expected, () -> uio.controlWrites().size() == expected + 1);
  }

  private static long readSyscalls(int tid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/task/" + tid + "/io"))) {
      if (line.startsWith("syscr:")) {
        return Long.parseLong(line.substring(6).trim());
      }
    }
    throw new IllegalStateException("no syscr in /proc/self/task/" + tid + "/io");
  }
}
