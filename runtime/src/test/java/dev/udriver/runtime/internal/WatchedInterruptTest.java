package dev.udriver.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.DispatcherGroup;
import dev.udriver.runtime.DriverWiring;
import dev.udriver.runtime.HandWiring;
import dev.udriver.runtime.InterruptConfig;
import dev.udriver.runtime.sim.SimulatedHardware;
import dev.udriver.runtime.sim.SimulatedInterrupt;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * The dispatcher waits watching the interrupt it served last ({@link Dispatcher#hasWork}): a signal
 * that makes its count leave zero then only wakes the dispatcher and pushes nothing. Each test
 * fails when its piece of that protocol is taken out: the wake ({@link InterruptObject#signal}),
 * the offer when the watch ends ({@link InterruptObject#endWatch}), and the disconnect's wait for
 * the watch to end.
 */
// A lost signal shows as an answer that never comes or a stop that never ends.
@Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
class WatchedInterruptTest {

  private static DriverWiring<Object> wiring(InterruptConfig config) {
    return HandWiring.of(config);
  }

  /** An edge interrupt "irq" whose ISR counts its calls in {@code served} and claims. */
  private static InterruptConfig countingIsr(AtomicLong served) {
    return InterruptConfig.builder(
            "irq",
            (interrupt, id) -> {
              served.incrementAndGet();
              return true;
            })
        .build();
  }

  /**
   * A dispatcher that always parks watches the interrupt when it parks, so every round trip here
   * needs the signal's wake: without it each one would wait for the park's 100 ms timeout.
   */
  @Test
  void aParkedWatcherIsWokenByTheSignal() throws Exception {
    SimulatedHardware hardware = SimulatedHardware.builder().edge("irq").build();
    SimulatedInterrupt irq = hardware.interrupt("irq");
    AtomicLong served = new AtomicLong();
    InterruptConfig config = countingIsr(served);
    int roundTrips = 300;
    int slow = 0;
    try (DispatcherGroup group =
            DispatcherGroup.builder("watch-park").idleWait(DispatcherGroup.IdleWait.PARK).build();
        DeviceNode device = group.device("watched", hardware).verifier(false).build()) {
      device.addDriver(new Object(), wiring(config));
      device.start();
      InterruptObject object = (InterruptObject) device.getInterrupts().get(0);
      boolean sawWatch = false;
      for (int i = 1; i <= roundTrips; i++) {
        long start = System.nanoTime();
        irq.fire();
        while (served.get() < i) {
          Thread.onSpinWait();
        }
        if (System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(50)) {
          slow++;
        }
        // Give the dispatcher time to park now and then: the watch is on while it waits.
        if (i % 10 == 0) {
          Thread.sleep(1);
          sawWatch |= object.pendingSignals == InterruptObject.WATCHED;
        }
      }
      assertTrue(sawWatch, "the parked dispatcher watches the interrupt it served last");
    }
    assertTrue(slow <= roundTrips / 20, slow + " of " + roundTrips + " round trips took > 50 ms");
  }

  /**
   * Several threads fire several messages at one spinning dispatcher; the ISR of each message must
   * never overlap itself and, in the end, must have seen every signal: a watched object whose
   * signals nobody offers, or one offered twice, breaks one or the other.
   */
  @Test
  void everySignalReachesItsIsrExactlyOnce() throws Exception {
    int messages = 4;
    SimulatedHardware hardware = SimulatedHardware.builder().msi("q", messages).build();
    SimulatedInterrupt q = hardware.interrupt("q");
    AtomicIntegerArray inIsr = new AtomicIntegerArray(messages);
    AtomicLongArray calls = new AtomicLongArray(messages);
    List<String> problems = new CopyOnWriteArrayList<>();
    InterruptConfig config =
        InterruptConfig.builder(
                "q",
                (interrupt, m) -> {
                  if (inIsr.getAndIncrement(m) != 0 && problems.size() < 10) {
                    problems.add("message " + m + ": ISR entered twice at once");
                  }
                  calls.incrementAndGet(m);
                  inIsr.decrementAndGet(m);
                  return true;
                })
            .build();
    long[] fired = new long[messages];
    try (DispatcherGroup group =
            DispatcherGroup.builder("watch-stress")
                .idleWait(DispatcherGroup.IdleWait.SPIN_THEN_PARK)
                .build();
        DeviceNode device = group.device("watched", hardware).verifier(false).build()) {
      device.addDriver(new Object(), wiring(config));
      device.start();
      List<InterruptObject> objects =
          device.getInterrupts().stream().map(InterruptObject.class::cast).toList();
      AtomicBoolean go = new AtomicBoolean(true);
      long[][] perThread = new long[2][messages];
      Thread[] firing = new Thread[2];
      for (int t = 0; t < firing.length; t++) {
        long[] mine = perThread[t];
        int offset = t;
        firing[t] =
            Thread.ofPlatform()
                .start(
                    () -> {
                      long n = 0;
                      while (go.get()) {
                        int m = (int) ((n++ + offset) % messages);
                        q.fire(m);
                        mine[m]++;
                        // Now and then let the dispatcher catch up and watch again.
                        if ((n & 255) == 0) {
                          long deadline = System.nanoTime() + 20_000;
                          while (System.nanoTime() < deadline) {
                            Thread.onSpinWait();
                          }
                        }
                      }
                    });
      }
      Thread.sleep(700);
      go.set(false);
      for (Thread thread : firing) {
        thread.join();
      }
      for (int m = 0; m < messages; m++) {
        fired[m] = perThread[0][m] + perThread[1][m];
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      for (int m = 0; m < messages; m++) {
        while ((objects.get(m).pendingSignals & InterruptObject.COUNT_MASK) != 0
            && System.nanoTime() < deadline) {
          Thread.sleep(1);
        }
        assertEquals(
            0,
            objects.get(m).pendingSignals & InterruptObject.COUNT_MASK,
            "message " + m + ": signals left pending, never served");
      }
      device.stop();
      for (int m = 0; m < messages; m++) {
        assertEquals(
            fired[m],
            objects.get(m).getStatistics().signals(),
            "message " + m + ": signals counted by the dispatcher");
        assertTrue(calls.get(m) > 0, "message " + m + " served");
      }
    }
    assertEquals(List.of(), problems);
  }

  /**
   * A stop must not leave the object watched: its resources, and with them its dispatcher, may be
   * assigned anew before it is connected again, and a signal that found the bit would then wake a
   * dispatcher that does not serve it.
   */
  @Test
  void aStopEndsTheWatch() throws Exception {
    SimulatedHardware hardware = SimulatedHardware.builder().edge("irq").build();
    SimulatedInterrupt irq = hardware.interrupt("irq");
    AtomicLong served = new AtomicLong();
    InterruptConfig config = countingIsr(served);
    try (DispatcherGroup group =
            DispatcherGroup.builder("watch-stop").idleWait(DispatcherGroup.IdleWait.PARK).build();
        DeviceNode device = group.device("watched", hardware).verifier(false).build()) {
      device.addDriver(new Object(), wiring(config));
      for (int cycle = 1; cycle <= 20; cycle++) {
        device.start();
        InterruptObject object = (InterruptObject) device.getInterrupts().get(0);
        irq.fire();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (object.pendingSignals != InterruptObject.WATCHED && System.nanoTime() < deadline) {
          Thread.sleep(1);
        }
        assertEquals(InterruptObject.WATCHED, object.pendingSignals, "watched while idle");
        device.stop();
        assertEquals(0L, object.pendingSignals, "cycle " + cycle + ": watched after the stop");
      }
      assertEquals(20, served.get());
    }
  }
}
