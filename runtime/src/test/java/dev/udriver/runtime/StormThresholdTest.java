package dev.udriver.runtime;

import static dev.udriver.runtime.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.runtime.TestSupport.RecordingListener;
import dev.udriver.runtime.sim.SimulatedHardware;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Both sides of Linux's spurious-interrupt rule (note_interrupt): of a window of 100,000 ISR calls
 * on a level line, more than 99,900 unclaimed is a storm. Deterministic: the line stays asserted,
 * so each ISR call is one re-fire, and the ISR claims exactly the first {@code 100_000 - unclaimed}
 * calls and deasserts the line on the window's last call.
 */
class StormThresholdTest {

  private static final int WINDOW = 100_000;
  private static final int UNCLAIMED_LIMIT = 99_900;

  private final RecordingListener listener = new RecordingListener();
  private final SimulatedHardware hardware = SimulatedHardware.builder().level("l").build();

  /** Runs one window with {@code unclaimed} unclaimed calls; the device is stopped afterwards. */
  private Interrupt runWindow(int unclaimed, AtomicInteger calls) {
    int claimedCalls = WINDOW - unclaimed;
    InterruptConfig config =
        InterruptConfig.builder(
                "l",
                (interrupt, id) -> {
                  int call = calls.incrementAndGet();
                  if (call == WINDOW) {
                    hardware.interrupt("l").deassertLine(); // the window's last call
                  }
                  return call <= claimedCalls;
                })
            .build();
    DeviceNode device = TestSupport.device(hardware, listener, config);
    device.start();
    Interrupt l = device.getInterrupts().get(0);
    hardware.interrupt("l").assertLine();
    await("the window's " + WINDOW + " ISR calls", () -> calls.get() == WINDOW);
    // The storm check runs in the call that ends the window; the stop waits for that call.
    device.close();
    return l;
  }

  @Test
  void exactlyTheLimitUnclaimedIsNoStorm() {
    AtomicInteger calls = new AtomicInteger();
    Interrupt l = runWindow(UNCLAIMED_LIMIT, calls);
    assertTrue(listener.storms.isEmpty(), () -> "storms: " + listener.storms);
    assertEquals(WINDOW, l.getStatistics().isrCalls());
    assertEquals(UNCLAIMED_LIMIT, l.getStatistics().unclaimed());
    assertEquals(WINDOW, calls.get());
  }

  @Test
  void oneMoreThanTheLimitUnclaimedIsAStorm() {
    AtomicInteger calls = new AtomicInteger();
    Interrupt l = runWindow(UNCLAIMED_LIMIT + 1, calls);
    assertEquals(1, listener.storms.size(), () -> "storms: " + listener.storms);
    assertSame(l, listener.storms.get(0).interrupt());
    assertEquals(UNCLAIMED_LIMIT + 1, listener.storms.get(0).unclaimed());
    assertEquals(WINDOW, listener.storms.get(0).isrCalls());
    assertFalse(hardware.interrupt("l").isConnected(), "the stormy line is still connected");
    assertEquals(WINDOW, l.getStatistics().isrCalls());
    assertEquals(UNCLAIMED_LIMIT + 1, l.getStatistics().unclaimed());
  }
}
