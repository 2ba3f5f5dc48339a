package dev.udriver.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.DispatcherGroup;
import dev.udriver.runtime.DriverWiring;
import dev.udriver.runtime.HandWiring;
import dev.udriver.runtime.Interrupt;
import dev.udriver.runtime.InterruptConfig;
import dev.udriver.runtime.InterruptStatistics;
import dev.udriver.runtime.sim.SimulatedHardware;
import dev.udriver.runtime.sim.SimulatedInterrupt;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * The dispatcher holds back the work items its ISRs queue and publishes them together ({@link
 * Dispatcher#holdWorkItem}). What must not change: {@code queueWorkItemForIsr()} returns true
 * exactly on the idle → queued transition and false while a run is queued and not started, every
 * true gets exactly one run, and nothing waits on a held item for ever.
 */
// A lost hand-off shows as a stop that never ends: fail instead of hanging the build.
@Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
class HeldWorkItemsTest {

  private static final int MESSAGES = 8;
  /** Messages 0..3 are queued by their ISR only; 4..7 also by another thread and by themselves. */
  private static final int ISR_ONLY = 4;

  private static DriverWiring<Object> wiring(InterruptConfig config) {
    return HandWiring.of(config);
  }

  /**
   * Always-pending messages on a real dispatcher and worker, with another thread queueing too. For
   * the ISR-only messages the ISR is the only queuer, so it can check each answer exactly: false is
   * wrong when every run queued so far had started before the call (the worker clears the state
   * before the callback counts its start). Afterwards every true has had exactly one run, and the
   * statistics agree with what the callers saw.
   */
  @Test
  void everySuccessfulQueueRunsOnceAndFalseOnlyWhileARunIsPending() throws Exception {
    AtomicLongArray trues = new AtomicLongArray(MESSAGES);
    AtomicLongArray falses = new AtomicLongArray(MESSAGES);
    AtomicLongArray starts = new AtomicLongArray(MESSAGES);
    List<String> problems = new CopyOnWriteArrayList<>();
    SimulatedHardware hardware = SimulatedHardware.builder().msi("q", MESSAGES).build();
    SimulatedInterrupt q = hardware.interrupt("q");
    AtomicBoolean refire = new AtomicBoolean(true);
    AtomicBoolean requeue = new AtomicBoolean(true);
    InterruptConfig config =
        InterruptConfig.builder(
                "q",
                (interrupt, m) -> {
                  long startedBefore = starts.get(m);
                  long queuedBefore = trues.get(m);
                  if (interrupt.queueWorkItemForIsr()) {
                    trues.incrementAndGet(m);
                  } else {
                    falses.incrementAndGet(m);
                    if (m < ISR_ONLY && startedBefore == queuedBefore && problems.size() < 10) {
                      problems.add("message " + m + ": false although all " + queuedBefore
                          + " queued runs had started");
                    }
                  }
                  if (refire.get()) {
                    q.fire(m);
                  }
                  return true;
                })
            .workItem(
                (interrupt, device) -> {
                  int m = interrupt.getInfo().messageNumber();
                  starts.incrementAndGet(m);
                  if (m >= ISR_ONLY && (starts.get(m) & 1) == 0 && requeue.get()) {
                    // From inside the running work item: one more run, unless another caller's
                    // request since its start has already queued it.
                    if (interrupt.queueWorkItemForIsr()) {
                      trues.incrementAndGet(m);
                    } else {
                      falses.incrementAndGet(m);
                    }
                  }
                })
            .build();
    try (DispatcherGroup group =
            DispatcherGroup.builder("held-stress")
                .idleWait(DispatcherGroup.IdleWait.SPIN_THEN_PARK)
                .build();
        DeviceNode device = group.device("held", hardware).verifier(false).build()) {
      device.addDriver(new Object(), wiring(config));
      device.start();
      List<Interrupt> interrupts = device.getInterrupts();
      Thread outside =
          Thread.ofPlatform()
              .start(
                  () -> {
                    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(800);
                    while (System.nanoTime() < end) {
                      for (int m = ISR_ONLY; m < MESSAGES; m++) {
                        if (interrupts.get(m).queueWorkItemForIsr()) {
                          trues.incrementAndGet(m);
                        } else {
                          falses.incrementAndGet(m);
                        }
                      }
                    }
                  });
      for (int m = 0; m < MESSAGES; m++) {
        q.fire(m);
      }
      outside.join();
      refire.set(false); // the dispatcher reads it in the next ISRs: the messages run dry
      requeue.set(false);
      // Quiet before the stop: a request refused because the interrupt runs down is neither a
      // queue nor a coalesced request, and the counts below should not depend on that race.
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!allRun(interrupts, trues, starts) && System.nanoTime() < end) {
        Thread.sleep(1);
      }
      device.stop();
      for (int m = 0; m < MESSAGES; m++) {
        InterruptStatistics stats = interrupts.get(m).getStatistics();
        assertEquals(trues.get(m), starts.get(m), "message " + m + ": one run per true");
        assertEquals(trues.get(m), stats.workItemsQueued(), "message " + m + ": queued");
        assertEquals(falses.get(m), stats.workItemsCoalesced(), "message " + m + ": coalesced");
        assertEquals(trues.get(m), stats.workItemsRun(), "message " + m + ": run");
        assertTrue(stats.isrCalls() > 100, "message " + m + " was served: " + stats);
      }
      assertEquals(List.of(), problems);
    }
  }

  /**
   * Signals raised on the dispatcher thread inside a round go to its local list, others to the
   * shared stack; a pending count's 0 → 1 transition offers the object to exactly one of them. Here
   * every ISR re-fires its message (dispatcher thread) while two other threads fire the same
   * messages: no ISR runs concurrently with itself, and once the firing stops every signal is
   * accounted for as an ISR call or coalesced into one.
   */
  @Test
  void signalsFromTheDispatcherAndFromOtherThreadsAreAllServedOnce() throws Exception {
    AtomicLongArray fired = new AtomicLongArray(MESSAGES);
    AtomicLongArray inIsr = new AtomicLongArray(MESSAGES);
    List<String> problems = new CopyOnWriteArrayList<>();
    SimulatedHardware hardware = SimulatedHardware.builder().msi("q", MESSAGES).build();
    SimulatedInterrupt q = hardware.interrupt("q");
    AtomicBoolean refire = new AtomicBoolean(true);
    InterruptConfig config =
        InterruptConfig.builder(
                "q",
                (interrupt, m) -> {
                  if (inIsr.getAndIncrement(m) != 0 && problems.size() < 10) {
                    problems.add("message " + m + ": ISR entered twice");
                  }
                  if (refire.get() && (fired.get(m) & 3) != 0) {
                    fired.incrementAndGet(m); // before the fire: the count covers every signal
                    q.fire(m);
                  }
                  inIsr.decrementAndGet(m);
                  return true;
                })
            .build();
    try (DispatcherGroup group =
            DispatcherGroup.builder("local-stress")
                .idleWait(DispatcherGroup.IdleWait.SPIN_THEN_PARK)
                .build();
        DeviceNode device = group.device("local", hardware).verifier(false).build()) {
      device.addDriver(new Object(), wiring(config));
      device.start();
      Runnable firing =
          () -> {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            int m = 0;
            while (System.nanoTime() < end) {
              m = (m + 1) % MESSAGES;
              fired.incrementAndGet(m);
              q.fire(m);
            }
          };
      Thread a = Thread.ofPlatform().start(firing);
      Thread b = Thread.ofPlatform().start(firing);
      a.join();
      b.join();
      refire.set(false);
      List<Interrupt> interrupts = device.getInterrupts();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!allServed(interrupts, fired) && System.nanoTime() < end) {
        Thread.sleep(1);
      }
      for (int m = 0; m < MESSAGES; m++) {
        InterruptStatistics stats = interrupts.get(m).getStatistics();
        assertEquals(fired.get(m), stats.signals(), "message " + m + ": every signal taken");
        assertEquals(stats.signals(), stats.isrCalls() + stats.coalesced(), "message " + m);
        assertEquals(0, stats.dropped(), "message " + m);
      }
      assertEquals(List.of(), problems);
    }
  }

  private static boolean allServed(List<Interrupt> interrupts, AtomicLongArray fired) {
    for (int m = 0; m < MESSAGES; m++) {
      InterruptStatistics stats = interrupts.get(m).getStatistics();
      if (stats.signals() != fired.get(m)
          || stats.signals() != stats.isrCalls() + stats.coalesced()) {
        return false;
      }
    }
    return true;
  }

  /**
   * A dispatcher about to wait for an interrupt lock publishes what it holds first. Message 0's ISR
   * queues its work item; message 1's ISR, in the same round, waits for its lock, which this thread
   * holds until message 0's work item has run. Held back, that work item would never run.
   */
  @Test
  void anIsrThatWaitsForItsLockPublishesTheHeldWorkItemsFirst() throws Exception {
    CountDownLatch roundFormed = new CountDownLatch(1);
    CountDownLatch workItemRan = new CountDownLatch(1);
    SimulatedHardware hardware = SimulatedHardware.builder().msi("q", 3).build();
    SimulatedInterrupt q = hardware.interrupt("q");
    InterruptConfig config =
        InterruptConfig.builder(
                "q",
                (interrupt, m) -> {
                  if (m == 2) {
                    awaitQuietly(roundFormed); // messages 0 and 1 become pending meanwhile
                  } else if (m == 0) {
                    interrupt.queueWorkItemForIsr();
                  }
                  return true;
                })
            .workItem((interrupt, device) -> workItemRan.countDown())
            .build();
    try (DispatcherGroup group = DispatcherGroup.builder("held-lock").build();
        DeviceNode device = group.device("held", hardware).verifier(false).build()) {
      device.addDriver(new Object(), wiring(config));
      device.start();
      Interrupt second = device.getInterrupts().get(1);
      second.acquireInterruptLock();
      try {
        q.fire(2);
        awaitIsrCall(device.getInterrupts().get(2));
        q.fire(0);
        q.fire(1);
        roundFormed.countDown(); // the next round takes 0 and 1 together, in that order
        assertTrue(workItemRan.await(10, TimeUnit.SECONDS), "message 0's work item ran");
      } finally {
        second.releaseInterruptLock();
      }
    }
  }

  /**
   * Held items are published after a bounded number of ISR calls even when the dispatcher never runs
   * dry: an always-pending message whose ISR queues its work item gets it run while it keeps firing.
   */
  @Test
  void aDispatcherThatNeverRunsDryStillPublishes() throws Exception {
    CountDownLatch workItemRan = new CountDownLatch(3);
    SimulatedHardware hardware = SimulatedHardware.builder().msi("q", 1).build();
    SimulatedInterrupt q = hardware.interrupt("q");
    AtomicBoolean refire = new AtomicBoolean(true);
    InterruptConfig config = refiring(q, refire, (interrupt, device) -> workItemRan.countDown());
    // Timing off: only the bound on ISR calls publishes while the message stays pending.
    try (DispatcherGroup group =
            DispatcherGroup.builder("held-busy")
                .idleWait(DispatcherGroup.IdleWait.SPIN_THEN_PARK)
                .timing(false)
                .build();
        DeviceNode device = group.device("held", hardware).verifier(false).build()) {
      device.addDriver(new Object(), wiring(config));
      device.start();
      q.fire(0);
      try {
        assertTrue(workItemRan.await(10, TimeUnit.SECONDS), "work items ran while it kept firing");
      } finally {
        refire.set(false);
      }
    }
  }

  /**
   * The group's work-item hold bounds how often a saturated dispatcher hands work items over: each
   * hand-over needs the hold's time or its count of ISR calls since the previous one, so with a
   * 10 ms hold an always-pending message's work item runs at most that often; with a hold of 0 it
   * is handed over after every round and runs far more often in the same time.
   */
  @Test
  void theWorkItemHoldBoundsHandOversUnderSaturation() throws Exception {
    Duration longest = Duration.ofMillis(10);
    Saturation held = saturate(longest, Duration.ofMillis(300));
    long callsPerHold = longest.toNanos() / Dispatcher.NANOS_PER_HELD_CALL;
    long bound = held.isrCalls / callsPerHold + held.elapsedNanos / longest.toNanos() + 2;
    assertTrue(held.workItemsRun <= bound, "held 10 ms: " + held + ", at most " + bound + " runs");

    Saturation eager = saturate(Duration.ZERO, Duration.ofMillis(300));
    assertTrue(eager.workItemsRun > 4 * bound, "held 0: " + eager + " against " + held);
  }

  @Test
  void theWorkItemHoldIsCheckedAndDescribed() {
    IllegalArgumentException negative =
        assertThrows(
            IllegalArgumentException.class,
            () -> DispatcherGroup.builder("hold-bad").workItemHold(Duration.ofNanos(-1)));
    assertTrue(negative.getMessage().contains("hold-bad"), negative.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> DispatcherGroup.builder("hold-bad").workItemHold(Duration.ofMillis(11)));
    try (DispatcherGroup byDefault = DispatcherGroup.create("hold-default");
        DispatcherGroup brief =
            DispatcherGroup.builder("hold-brief").workItemHold(Duration.ofNanos(5_000)).build()) {
      assertTrue(byDefault.describe().get(0).contains("work items held up to 50 µs"), byDefault.describe().toString());
      assertTrue(brief.describe().get(0).contains("work items held up to 5 µs"), brief.describe().toString());
    }
  }

  private record Saturation(long isrCalls, long workItemsRun, long elapsedNanos) {}

  /** One always-pending message whose ISR queues its work item, for {@code window}. */
  private static Saturation saturate(Duration hold, Duration window) throws Exception {
    SimulatedHardware hardware = SimulatedHardware.builder().msi("q", 1).build();
    SimulatedInterrupt q = hardware.interrupt("q");
    AtomicBoolean refire = new AtomicBoolean(true);
    InterruptConfig config = refiring(q, refire, (interrupt, device) -> {});
    try (DispatcherGroup group =
            DispatcherGroup.builder("held-" + hold.toNanos())
                .idleWait(DispatcherGroup.IdleWait.SPIN_THEN_PARK)
                .workItemHold(hold)
                .build();
        DeviceNode device = group.device("held", hardware).verifier(false).build()) {
      device.addDriver(new Object(), wiring(config));
      long start = System.nanoTime();
      device.start();
      q.fire(0);
      Thread.sleep(window.toMillis());
      refire.set(false);
      device.stop();
      long elapsed = System.nanoTime() - start;
      InterruptStatistics stats = device.getInterrupts().get(0).getStatistics();
      return new Saturation(stats.isrCalls(), stats.workItemsRun(), elapsed);
    }
  }

  /** An ISR that queues its work item and fires its message again while {@code refire} is set. */
  private static InterruptConfig refiring(
      SimulatedInterrupt q, AtomicBoolean refire, InterruptConfig.WorkItem workItem) {
    return InterruptConfig.builder(
            "q",
            (interrupt, m) -> {
              interrupt.queueWorkItemForIsr();
              if (refire.get()) {
                q.fire(m);
              }
              return true;
            })
        .workItem(workItem)
        .build();
  }

  private static boolean allRun(
      List<Interrupt> interrupts, AtomicLongArray trues, AtomicLongArray starts) {
    for (int m = 0; m < MESSAGES; m++) {
      InterruptStatistics stats = interrupts.get(m).getStatistics();
      if (starts.get(m) != trues.get(m) || stats.workItemsRun() != stats.workItemsQueued()) {
        return false;
      }
    }
    return true;
  }

  private static void awaitIsrCall(Interrupt interrupt) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (interrupt.getStatistics().signals() == 0 && System.nanoTime() < end) {
      Thread.sleep(1);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
