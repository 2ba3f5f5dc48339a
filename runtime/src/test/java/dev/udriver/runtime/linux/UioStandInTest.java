package dev.udriver.runtime.linux;

import static dev.udriver.runtime.linux.LinuxTestSupport.accounted;
import static dev.udriver.runtime.linux.LinuxTestSupport.assumeLinux;
import static dev.udriver.runtime.linux.LinuxTestSupport.await;
import static dev.udriver.runtime.linux.LinuxTestSupport.uniqueName;
import static dev.udriver.runtime.linux.LinuxTestSupport.wiring;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.Interrupt;
import dev.udriver.runtime.InterruptConfig;
import java.util.List;
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
        assertTrue(accounted(interrupt.getStatistics()), interrupt.getStatistics()::toString);
        device.stop();
        List<Integer> writes = uio.controlWrites();
        assertEquals(0, writes.getLast(), "disable writes 0: " + writes);
        assertFalse(uio.enabled());
      }
    }
  }
}
