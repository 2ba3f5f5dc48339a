package dev.udriver.runtime;

import static dev.udriver.runtime.TestSupport.await;
import static dev.udriver.runtime.TestSupport.awaitQuietly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.runtime.TestSupport.RecordingListener;
import dev.udriver.runtime.sim.SimulatedHardware;
import dev.udriver.runtime.sim.SimulatedInterrupt;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** ISR dispatch: lock, message ids, serialization, coalescing, level lines, storms. */
class IsrDispatchTest {

  private final List<String> problems = new CopyOnWriteArrayList<>();

  @Test
  void isrRunsWithTheLockHeldOnTheDispatcherThread() {
    AtomicReference<String> recursionRule = new AtomicReference<>();
    AtomicBoolean tryInside = new AtomicBoolean(true);
    AtomicBoolean otherThreadGotLock = new AtomicBoolean(true);
    AtomicReference<String> threadName = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    InterruptConfig config =
        InterruptConfig.builder(
                "a",
                (interrupt, id) -> {
                  try {
                    interrupt.acquireInterruptLock();
                    interrupt.releaseInterruptLock();
                  } catch (InterruptRuleViolation violation) {
                    recursionRule.set(violation.rule());
                  }
                  tryInside.set(interrupt.tryToAcquireInterruptLock());
                  otherThreadGotLock.set(TestSupport.lockFreeForOtherThread(interrupt));
                  threadName.set(Thread.currentThread().getName());
                  done.countDown();
                  return true;
                })
            .build();
    SimulatedHardware hardware = SimulatedHardware.builder().edge("a").build();
    try (DeviceNode device = TestSupport.device(hardware, config)) {
      device.start();
      hardware.interrupt("a").fire();
      await(done);
      assertEquals("INTERRUPT_LOCK_NO_RECURSION", recursionRule.get());
      assertFalse(tryInside.get(), "tryToAcquire inside the ISR must fail");
      assertFalse(otherThreadGotLock.get(), "another thread took the lock during the ISR");
      assertEquals("udriver-isr-" + device.getName(), threadName.get());
      Interrupt a = device.getInterrupts().get(0);
      await("lock released after the ISR", () -> TestSupport.lockFreeForOtherThread(a));
      assertEquals(0, a.getStatistics().callbackFailures(), "the ISR left the lock as it found it");
    }
  }

  @Test
  void messageIdIsTheMessageNumberForMsiAndZeroForLines() {
    List<String> calls = new CopyOnWriteArrayList<>();
    InterruptConfig.Isr isr =
        (interrupt, id) -> {
          calls.add(interrupt.getName() + "#" + interrupt.getInfo().messageNumber() + " id " + id);
          return true;
        };
    SimulatedHardware hardware =
        SimulatedHardware.builder().edge("line").msi("q", 3).build();
    try (DeviceNode device =
        TestSupport.device(
            hardware,
            InterruptConfig.builder("line", isr).build(),
            InterruptConfig.builder("q", isr).build())) {
      device.start();
      hardware.interrupt("q").fire(2);
      await("call 1", () -> calls.size() == 1);
      hardware.interrupt("q").fire(0);
      await("call 2", () -> calls.size() == 2);
      hardware.interrupt("line").fire();
      await("call 3", () -> calls.size() == 3);
      assertEquals(List.of("q#3 id 3", "q#1 id 1", "line#0 id 0"), calls);
    }
  }

  @Test
  void isrNeverRunsConcurrentlyWithItselfAndSignalsDuringItCoalesceIntoOneCall() {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger calls = new AtomicInteger();
    InterruptConfig config =
        InterruptConfig.builder(
                "a",
                (interrupt, id) -> {
                  if (inside.incrementAndGet() != 1) {
                    problems.add("ISR ran concurrently with itself");
                  }
                  if (calls.incrementAndGet() == 1) {
                    entered.countDown();
                    if (!awaitQuietly(release)) {
                      problems.add("never released");
                    }
                  }
                  inside.decrementAndGet();
                  return true;
                })
            .build();
    SimulatedHardware hardware = SimulatedHardware.builder().edge("a").build();
    try (DeviceNode device = TestSupport.device(hardware, config)) {
      device.start();
      Interrupt a = device.getInterrupts().get(0);
      SimulatedInterrupt line = hardware.interrupt("a");
      line.fire();
      await(entered);
      List<Thread> firers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        firers.add(Thread.ofPlatform().start(() -> {
          for (int i = 0; i < 10; i++) {
            line.fire();
          }
        }));
      }
      for (Thread firer : firers) {
        join(firer);
      }
      assertEquals(1, calls.get(), "an ISR call started while the first one was running");
      release.countDown();
      await("the coalesced call", () -> a.getStatistics().isrCalls() == 2);
      assertEquals(2, calls.get());
      // A sentinel edge: once it is served, no stray third call came from the coalesced ones.
      line.fire();
      await("the sentinel", () -> a.getStatistics().signals() == 32 && a.getStatistics().isrCalls() == 3);
      assertEquals(3, calls.get());
      InterruptStatistics stats = a.getStatistics();
      assertEquals(32, stats.signals());
      assertEquals(stats.signals() - stats.isrCalls(), stats.coalesced());
      assertEquals(29, stats.coalesced());
      assertEquals(3, stats.claimed());
      assertEquals(0, stats.unclaimed());
      assertEquals(List.of(), problems);
    }
  }

  @Test
  void everySignalFromManyThreadsIsAccounted() {
    int threads = 4;
    int perThread = 5_000;
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger inside = new AtomicInteger();
    InterruptConfig.Isr isr =
        (interrupt, id) -> {
          if (inside.incrementAndGet() != 1) {
            problems.add("two ISRs at once");
          }
          calls.incrementAndGet();
          inside.decrementAndGet();
          return true;
        };
    SimulatedHardware hardware = SimulatedHardware.builder().edge("e").msi("m", 2).build();
    try (DeviceNode device =
        TestSupport.device(
            hardware, InterruptConfig.builder("e", isr).build(), InterruptConfig.builder("m", isr).build())) {
      device.start();
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> firers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        firers.add(Thread.ofPlatform().start(() -> {
          awaitQuietly(go);
          for (int i = 0; i < perThread; i++) {
            switch (thread % 3) {
              case 0 -> hardware.interrupt("e").fire();
              case 1 -> hardware.interrupt("m").fire(0);
              default -> hardware.interrupt("m").fire(1);
            }
          }
        }));
      }
      go.countDown();
      for (Thread firer : firers) {
        join(firer);
      }
      long[] expected = {2L * perThread, perThread, perThread}; // threads 0 and 3 fire "e"
      List<Interrupt> all = device.getInterrupts();
      for (int i = 0; i < 3; i++) {
        Interrupt interrupt = all.get(i);
        long want = expected[i];
        // Signals are counted when raised, ISR calls and coalescing when served: wait for both.
        await(
            interrupt + " signals accounted",
            () -> {
              InterruptStatistics stats = interrupt.getStatistics();
              return stats.signals() == want
                  && stats.signals() == stats.isrCalls() + stats.coalesced();
            });
      }
      long isrCallsTotal = 0;
      for (Interrupt interrupt : all) {
        InterruptStatistics stats = interrupt.getStatistics();
        assertEquals(stats.signals(), stats.isrCalls() + stats.coalesced(), interrupt + ": " + stats);
        assertEquals(stats.isrCalls(), stats.claimed());
        assertTrue(stats.isrCalls() >= 1);
        isrCallsTotal += stats.isrCalls();
      }
      assertEquals(isrCallsTotal, calls.get());
      assertEquals(0, hardware.interrupt("e").lostSignals() + hardware.interrupt("m").lostSignals());
      assertEquals(List.of(), problems);
    }
  }

  @Test
  void edgeIsrResultIsIgnoredNoRefire() {
    AtomicInteger calls = new AtomicInteger();
    InterruptConfig config =
        InterruptConfig.builder(
                "a",
                (interrupt, id) -> {
                  calls.incrementAndGet();
                  return false;
                })
            .build();
    SimulatedHardware hardware = SimulatedHardware.builder().edge("a").build();
    try (DeviceNode device = TestSupport.device(hardware, config)) {
      device.start();
      Interrupt a = device.getInterrupts().get(0);
      hardware.interrupt("a").fire();
      await("first call", () -> a.getStatistics().isrCalls() == 1);
      hardware.interrupt("a").fire();
      await("second call", () -> a.getStatistics().isrCalls() == 2);
      assertEquals(2, calls.get(), "an unclaimed edge was re-delivered");
      assertEquals(2, a.getStatistics().unclaimed());
    }
  }

  @Test
  void levelLineRefiresUntilTheIsrDeassertsIt() {
    SimulatedHardware hardware = SimulatedHardware.builder().level("l").build();
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger clearOnCall = new AtomicInteger(5);
    InterruptConfig config =
        InterruptConfig.builder(
                "l",
                (interrupt, id) -> {
                  if (calls.incrementAndGet() == clearOnCall.get()) {
                    hardware.interrupt("l").deassertLine(); // the ISR clears the device's cause
                  }
                  return true;
                })
            .build();
    try (DeviceNode device = TestSupport.device(hardware, config)) {
      device.start();
      Interrupt l = device.getInterrupts().get(0);
      hardware.interrupt("l").assertLine();
      await("five calls", () -> calls.get() >= 5);
      assertFalse(hardware.interrupt("l").isAsserted());
      // Sentinel: one more assertion cleared at once; afterwards exactly 6 calls in all.
      clearOnCall.set(6);
      hardware.interrupt("l").assertLine();
      await("sentinel", () -> l.getStatistics().isrCalls() == 6);
      assertEquals(6, calls.get());
      assertEquals(6, l.getStatistics().claimed());
      assertEquals(0, l.getStatistics().callbackFailures());
    }
  }

  @Test
  void levelLineAssertedBeforeStartInterruptsOnceConnected() {
    SimulatedHardware hardware = SimulatedHardware.builder().level("l").build();
    AtomicInteger calls = new AtomicInteger();
    InterruptConfig config =
        InterruptConfig.builder(
                "l",
                (interrupt, id) -> {
                  calls.incrementAndGet();
                  hardware.interrupt("l").deassertLine();
                  return true;
                })
            .build();
    try (DeviceNode device = TestSupport.device(hardware, config)) {
      hardware.interrupt("l").assertLine();
      device.start();
      await("the ISR", () -> calls.get() == 1);
    }
  }

  @Test
  void stuckLevelLineThatIsNeverClaimedIsDisconnectedAfterTheStormWindow() {
    RecordingListener listener = new RecordingListener();
    SimulatedHardware hardware = SimulatedHardware.builder().level("l").build();
    AtomicInteger calls = new AtomicInteger();
    InterruptConfig config =
        InterruptConfig.builder(
                "l",
                (interrupt, id) -> {
                  calls.incrementAndGet();
                  return false; // never claims, never clears
                })
            .build();
    try (DeviceNode device = TestSupport.device(hardware, listener, config)) {
      device.start();
      Interrupt l = device.getInterrupts().get(0);
      hardware.interrupt("l").assertLine();
      await("the storm report", () -> listener.storms.size() == 1);
      assertSame(l, listener.storms.get(0).interrupt());
      assertEquals(100_000, listener.storms.get(0).isrCalls());
      assertTrue(listener.storms.get(0).unclaimed() > 99_900);
      assertEquals(
          100_000,
          listener.storms.get(0).countedIsrCalls(),
          "the statistics count the call that ended the storm window when the storm is reported");
      assertFalse(hardware.interrupt("l").isConnected(), "the stormy line is still connected");
      assertEquals(100_000, calls.get());
      hardware.interrupt("l").assertLine(); // still stuck: nobody listens any more
      assertTrue(hardware.interrupt("l").lostSignals() >= 1);
      assertEquals(100_000, l.getStatistics().isrCalls());
      assertEquals(100_000, l.getStatistics().unclaimed());
      assertEquals(1, listener.storms.size());
      hardware.interrupt("l").deassertLine();
      device.stop();
    }
  }

  @Test
  void driverReEnablesALineDisconnectedByAStorm() {
    RecordingListener listener = new RecordingListener();
    SimulatedHardware hardware = SimulatedHardware.builder().level("l").build();
    AtomicBoolean clearing = new AtomicBoolean();
    List<String> lifecycle = new CopyOnWriteArrayList<>();
    InterruptConfig config =
        InterruptConfig.builder(
                "l",
                (interrupt, id) -> {
                  if (!clearing.get()) {
                    return false; // stuck: never claims
                  }
                  hardware.interrupt("l").deassertLine();
                  return true;
                })
            .enable((interrupt, device) -> lifecycle.add("enable"))
            .disable((interrupt, device) -> lifecycle.add("disable"))
            .build();
    try (DeviceNode device = TestSupport.device(hardware, listener, config)) {
      device.start();
      Interrupt l = device.getInterrupts().get(0);
      hardware.interrupt("l").assertLine();
      await("the storm report", () -> listener.storms.size() == 1);
      clearing.set(true);
      l.enable(); // no INTERRUPT_DOUBLE_ENABLE: the storm disconnected it
      await("the ISR that clears the line", () -> l.getStatistics().claimed() == 1);
      assertFalse(hardware.interrupt("l").isAsserted());
      assertEquals(List.of("enable", "disable", "enable"), lifecycle);
      device.stop();
      assertEquals(List.of("enable", "disable", "enable", "disable"), lifecycle);
    }
  }

  @Test
  void signalsPendingWhenTheDeviceStopsAreServedBeforeTheDisableCallback() {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> events = new CopyOnWriteArrayList<>();
    InterruptConfig config =
        InterruptConfig.builder(
                "e",
                (interrupt, id) -> {
                  events.add("isr");
                  entered.countDown();
                  awaitQuietly(release);
                  return true;
                })
            .enable((interrupt, device) -> events.add("enable"))
            .disable((interrupt, device) -> events.add("disable"))
            .build();
    SimulatedHardware hardware = SimulatedHardware.builder().edge("e").build();
    try (DeviceNode device = TestSupport.device(hardware, config)) {
      device.start();
      Interrupt e = device.getInterrupts().get(0);
      hardware.interrupt("e").fire();
      await(entered);
      for (int i = 0; i < 5; i++) {
        hardware.interrupt("e").fire(); // pending while the first ISR runs
      }
      Thread stopper = Thread.ofPlatform().start(device::stop);
      release.countDown();
      TestSupport.join(stopper);
      assertEquals(List.of("enable", "isr", "isr", "disable"), events);
      InterruptStatistics statistics = e.getStatistics();
      assertEquals(6, statistics.signals());
      assertEquals(2, statistics.isrCalls());
      assertEquals(4, statistics.coalesced());
      assertEquals(0, statistics.dropped());
    }
  }

  @Test
  void higherPriorityPendingInterruptsAreServedFirst() {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> order = new CopyOnWriteArrayList<>();
    InterruptConfig.Isr recording =
        (interrupt, id) -> {
          order.add(interrupt.getName());
          return true;
        };
    InterruptConfig blocker =
        InterruptConfig.builder(
                "blocker",
                (interrupt, id) -> {
                  entered.countDown();
                  awaitQuietly(release);
                  return true;
                })
            .build();
    SimulatedHardware hardware =
        SimulatedHardware.builder().edge("blocker").edge("low").edge("normal").edge("high").build();
    try (DeviceNode device =
        TestSupport.device(
            hardware,
            blocker,
            InterruptConfig.builder("low", recording)
                .policy(ExtendedPolicy.of(dev.udriver.annotation.AffinityPolicy.MACHINE_DEFAULT,
                    dev.udriver.annotation.InterruptPriority.LOW))
                .build(),
            InterruptConfig.builder("normal", recording).build(),
            InterruptConfig.builder("high", recording)
                .policy(ExtendedPolicy.of(dev.udriver.annotation.AffinityPolicy.MACHINE_DEFAULT,
                    dev.udriver.annotation.InterruptPriority.HIGH))
                .build())) {
      device.start();
      hardware.interrupt("blocker").fire();
      await(entered);
      hardware.interrupt("low").fire();
      hardware.interrupt("normal").fire();
      hardware.interrupt("high").fire();
      release.countDown();
      await("all three", () -> order.size() == 3);
      assertEquals(List.of("high", "normal", "low"), order);
    }
  }

  @Test
  void signalsAfterStopAreLostNotDelivered() {
    AtomicInteger calls = new AtomicInteger();
    InterruptConfig config =
        InterruptConfig.builder(
                "a",
                (interrupt, id) -> {
                  calls.incrementAndGet();
                  return true;
                })
            .build();
    SimulatedHardware hardware = SimulatedHardware.builder().edge("a").build();
    try (DeviceNode device = TestSupport.device(hardware, config)) {
      device.start();
      device.stop();
      hardware.interrupt("a").fire();
      assertEquals(1, hardware.interrupt("a").lostSignals());
      device.start();
      hardware.interrupt("a").fire();
      await("one call", () -> calls.get() == 1);
      assertEquals(1, device.getInterrupts().get(0).getStatistics().signals());
    }
  }

  private static void join(Thread thread) {
    try {
      thread.join(TestSupport.TIMEOUT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    assertFalse(thread.isAlive(), "firing thread hung");
  }
}
