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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** NAPI-style polling: interrupt masked while polling with a budget, unmasked when done. */
class HybridPollTest {

  @BeforeEach
  void linuxOnly() {
    assumeLinux();
  }

  /** An rx ring: the producer adds items, the poll takes at most a budget. */
  static final class Ring {
    final AtomicLong produced = new AtomicLong();
    final AtomicLong consumed = new AtomicLong();
    volatile int largestRound;

    int drain(int budget) {
      long available = produced.get() - consumed.get();
      int take = (int) Math.min(available, budget);
      consumed.addAndGet(take);
      largestRound = Math.max(largestRound, take);
      return take;
    }
  }

  @Test
  void burstsArePolledWithTheInterruptMaskedAndNothingIsStranded() throws Exception {
    Ring ring = new Ring();
    AtomicLong isrWhileMasked = new AtomicLong();
    try (EventFdHardware hardware = EventFdHardware.builder().message("rx").build()) {
      EventFdSource rx = hardware.source("rx", 0);
      HybridPoll hybrid = new HybridPoll(rx, 16, 1, ring::drain);
      InterruptConfig config =
          InterruptConfig.builder(
                  "rx",
                  (interrupt, id) -> {
                    if (rx.isMasked()) {
                      isrWhileMasked.incrementAndGet(); // signals served before the mask took hold
                    }
                    return hybrid.interrupted(interrupt);
                  })
              .workItem((interrupt, device) -> hybrid.poll(interrupt))
              .build();
      try (DeviceNode device = DeviceNode.create(uniqueName("napi"), hardware)) {
        device.addDriver(new Object(), wiring(config));
        device.start();
        Interrupt interrupt = device.getInterrupts().getFirst();
        int bursts = 200;
        int perBurst = 50;
        for (int b = 0; b < bursts; b++) {
          for (int i = 0; i < perBurst; i++) {
            ring.produced.incrementAndGet();
            rx.signal(); // the device raises an interrupt per item, as without NAPI
          }
          if ((b & 15) == 0) {
            Thread.sleep(1); // let polling complete now and then: the interrupt is re-armed
          }
        }
        long total = (long) bursts * perBurst;
        await("all items polled", () -> ring.consumed.get() == total);
        await("polling completed", () -> !hybrid.polling());
        await("every signal read", () -> interrupt.getStatistics().signals() == total);
        assertTrue(ring.largestRound <= 16, "budget exceeded: " + ring.largestRound);
        assertTrue(hybrid.rearms() >= 1);
        assertTrue(
            interrupt.getStatistics().isrCalls() < total / 4,
            "masking should have coalesced signals: " + interrupt.getStatistics());
        assertTrue(accounted(interrupt.getStatistics()));
        assertEquals(hybrid.items(), total);

        // One more item after polling completed: the re-armed interrupt fires again.
        long rearmsBefore = hybrid.rearms();
        ring.produced.incrementAndGet();
        rx.signal();
        await("late item polled", () -> ring.consumed.get() == total + 1);
        await("re-armed again", () -> hybrid.rearms() > rearmsBefore && !hybrid.polling());
        assertFalse(rx.isMasked());
      }
    }
  }

  @Test
  void stopWhilePollingLeavesTheNextStartUnmasked() throws Exception {
    Ring ring = new Ring();
    try (EventFdHardware hardware = EventFdHardware.builder().message("rx").build()) {
      EventFdSource rx = hardware.source("rx", 0);
      HybridPoll hybrid = new HybridPoll(rx, 1, 1_000_000, ring::drain); // polls "forever"
      InterruptConfig config =
          InterruptConfig.builder("rx", (interrupt, id) -> hybrid.interrupted(interrupt))
              .workItem((interrupt, device) -> hybrid.poll(interrupt))
              .build();
      try (DeviceNode device = DeviceNode.create(uniqueName("napistop"), hardware)) {
        device.addDriver(new Object(), wiring(config));
        device.start();
        rx.signal();
        await("polling", () -> hybrid.rounds() > 10);
        device.stop(); // the work item can no longer re-queue itself: the stop completes
        device.start();
        assertFalse(rx.isMasked());
        Interrupt interrupt = device.getInterrupts().getFirst();
        long before = interrupt.getStatistics().signals();
        rx.signal();
        await("interrupt after restart", () -> interrupt.getStatistics().signals() == before + 1);
      }
    }
  }
}
