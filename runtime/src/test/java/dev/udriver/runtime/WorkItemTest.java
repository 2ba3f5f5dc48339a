package dev.udriver.runtime;

import static dev.udriver.runtime.TestSupport.await;
import static dev.udriver.runtime.TestSupport.awaitQuietly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.runtime.sim.SimulatedHardware;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** queueWorkItemForIsr coalescing, re-queueing, context, serialization and draining. */
class WorkItemTest {

  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final CountDownLatch blockerEntered = new CountDownLatch(1);
  private final CountDownLatch releaseBlocker = new CountDownLatch(1);

  /** An interrupt whose work item blocks the worker until {@link #releaseBlocker}. */
  private InterruptConfig blocker() {
    return InterruptConfig.builder("blocker", TestSupport.queueWorkItem())
        .workItem(
            (interrupt, device) -> {
              blockerEntered.countDown();
              if (!awaitQuietly(releaseBlocker)) {
                problems.add("blocker never released");
              }
            })
        .build();
  }

  /** An ISR that queues the work item and records what queueWorkItemForIsr returned. */
  private static InterruptConfig.Isr queueing(List<Boolean> results) {
    return (interrupt, id) -> {
      results.add(interrupt.queueWorkItemForIsr());
      return true;
    };
  }

  @Test
  void queueReturnsTrueThenFalseWhileQueuedAndNotStarted() {
    List<Boolean> results = new CopyOnWriteArrayList<>();
    AtomicInteger runs = new AtomicInteger();
    InterruptConfig b =
        InterruptConfig.builder(
                "b",
                (interrupt, id) -> {
                  results.add(interrupt.queueWorkItemForIsr());
                  results.add(interrupt.queueWorkItemForIsr());
                  return true;
                })
            .workItem((interrupt, device) -> runs.incrementAndGet())
            .build();
    SimulatedHardware hardware = SimulatedHardware.builder().edge("blocker").edge("b").build();
    try (DeviceNode device = TestSupport.device(hardware, blocker(), b)) {
      device.start();
      Interrupt interrupt = device.getInterrupts("b").get(0);
      hardware.interrupt("blocker").fire();
      await(blockerEntered);
      hardware.interrupt("b").fire();
      await("both queue calls", () -> results.size() == 2);
      hardware.interrupt("b").fire(); // a later ISR, still before the work item started
      await("the third queue call", () -> results.size() == 4);
      assertEquals(List.of(true, false, false, false), results);
      assertEquals(0, runs.get());
      releaseBlocker.countDown();
      await("the work item", () -> interrupt.getStatistics().workItemsRun() == 1);
      device.stop(); // drains: had a second run been queued, it would have run by now
      assertEquals(1, runs.get());
      InterruptStatistics stats = interrupt.getStatistics();
      assertEquals(1, stats.workItemsQueued());
      assertEquals(3, stats.workItemsCoalesced());
      assertEquals(1, stats.workItemsRun());
      assertEquals(List.of(), problems);
    }
  }

  @Test
  void afterTheWorkItemStartsTheNextQueueSucceedsAgain() {
    List<Boolean> results = new CopyOnWriteArrayList<>();
    AtomicInteger runs = new AtomicInteger();
    InterruptConfig a =
        InterruptConfig.builder("a", queueing(results))
            .workItem((interrupt, device) -> runs.incrementAndGet())
            .build();
    SimulatedHardware hardware = SimulatedHardware.builder().edge("a").build();
    try (DeviceNode device = TestSupport.device(hardware, a)) {
      device.start();
      for (int i = 1; i <= 3; i++) {
        hardware.interrupt("a").fire();
        int expected = i;
        // The work item may run before the ISR has recorded what queueWorkItemForIsr returned.
        await("run " + i, () -> runs.get() == expected && results.size() == expected);
      }
      assertEquals(List.of(true, true, true), results);
    }
  }

  @Test
  void queueingFromInsideTheRunningWorkItemRunsItOnceMore() {
    List<Boolean> requeued = new CopyOnWriteArrayList<>();
    AtomicInteger runs = new AtomicInteger();
    InterruptConfig a =
        InterruptConfig.builder("a", queueing(new CopyOnWriteArrayList<>()))
            .workItem(
                (interrupt, device) -> {
                  if (runs.incrementAndGet() == 1) {
                    requeued.add(interrupt.queueWorkItemForIsr());
                    requeued.add(interrupt.queueWorkItemForIsr()); // queued, not started: false
                  }
                })
            .build();
    SimulatedHardware hardware = SimulatedHardware.builder().edge("a").build();
    try (DeviceNode device = TestSupport.device(hardware, a)) {
      device.start();
      hardware.interrupt("a").fire();
      await("two runs", () -> runs.get() == 2);
      device.stop(); // drains anything still queued
      assertEquals(2, runs.get());
      assertEquals(List.of(true, false), requeued);
      assertEquals(2, device.getInterrupts().get(0).getStatistics().workItemsRun());
    }
  }

  @Test
  void workItemRunsOnTheWorkerWithoutTheLockWithTheDeviceAsAssociatedObject() {
    AtomicReference<Device> associated = new AtomicReference<>();
    AtomicReference<Interrupt> received = new AtomicReference<>();
    AtomicReference<String> thread = new AtomicReference<>();
    AtomicBoolean tryAcquired = new AtomicBoolean();
    AtomicBoolean heldWithoutAcquire = new AtomicBoolean(true);
    CountDownLatch done = new CountDownLatch(1);
    InterruptConfig a =
        InterruptConfig.builder("a", queueing(new CopyOnWriteArrayList<>()))
            .workItem(
                (interrupt, device) -> {
                  associated.set(device);
                  received.set(interrupt);
                  thread.set(Thread.currentThread().getName());
                  heldWithoutAcquire.set(TestSupport.heldByCurrentThread(interrupt));
                  if (interrupt.tryToAcquireInterruptLock()) {
                    tryAcquired.set(true);
                    interrupt.releaseInterruptLock();
                  }
                  done.countDown();
                })
            .build();
    SimulatedHardware hardware = SimulatedHardware.builder().edge("a").build();
    try (DeviceNode device = TestSupport.device(hardware, a)) {
      device.start();
      hardware.interrupt("a").fire();
      await(done);
      assertSame(device, associated.get());
      assertSame(device.getInterrupts().get(0), received.get());
      assertEquals("udriver-work-" + device.getName(), thread.get());
      assertFalse(heldWithoutAcquire.get(), "the work item ran with the interrupt lock held");
      assertTrue(tryAcquired.get(), "tryToAcquireInterruptLock failed inside the work item");
    }
  }

  @Test
  void automaticallySerializedWorkItemsOfTwoInterruptsNeverOverlap() {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger runs = new AtomicInteger();
    InterruptConfig.WorkItem work =
        (interrupt, device) -> {
          if (inside.incrementAndGet() != 1) {
            problems.add("work items overlapped");
          }
          Thread.onSpinWait();
          inside.decrementAndGet();
          runs.incrementAndGet();
        };
    SimulatedHardware hardware = SimulatedHardware.builder().edge("a").edge("b").build();
    try (DeviceNode device =
        TestSupport.device(
            hardware,
            InterruptConfig.builder("a", queueing(new CopyOnWriteArrayList<>()))
                .workItem(work).automaticSerialization(true).build(),
            InterruptConfig.builder("b", queueing(new CopyOnWriteArrayList<>()))
                .workItem(work).automaticSerialization(true).build())) {
      device.start();
      Thread other = Thread.ofPlatform().start(() -> {
        for (int i = 0; i < 2_000; i++) {
          hardware.interrupt("b").fire();
        }
      });
      for (int i = 0; i < 2_000; i++) {
        hardware.interrupt("a").fire();
      }
      try {
        other.join(TestSupport.TIMEOUT_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (Interrupt interrupt : device.getInterrupts()) {
        // Signals still pending when stop() disconnects are dropped: let the ISRs see them all.
        await(interrupt + " served", () -> interrupt.getStatistics().signals() == 2_000);
      }
      device.stop();
      assertTrue(runs.get() >= 2);
      long expectedRuns = device.getInterrupts().stream()
          .mapToLong(i -> i.getStatistics().workItemsRun()).sum();
      assertEquals(expectedRuns, runs.get());
      assertEquals(List.of(), problems);
    }
  }

  @Test
  void queueingWithoutAWorkItemIsARuleViolation() {
    AtomicReference<String> ruleInIsr = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    InterruptConfig a =
        InterruptConfig.builder(
                "a",
                (interrupt, id) -> {
                  try {
                    interrupt.queueWorkItemForIsr();
                  } catch (InterruptRuleViolation violation) {
                    ruleInIsr.set(violation.rule());
                  }
                  done.countDown();
                  return true;
                })
            .build();
    SimulatedHardware hardware = SimulatedHardware.builder().edge("a").build();
    try (DeviceNode device = TestSupport.device(hardware, a)) {
      device.start();
      hardware.interrupt("a").fire();
      await(done);
      assertEquals("QUEUE_WORK_ITEM_WITHOUT_CALLBACK", ruleInIsr.get());
      Interrupt interrupt = device.getInterrupts().get(0);
      InterruptRuleViolation violation =
          assertThrows(InterruptRuleViolation.class, interrupt::queueWorkItemForIsr);
      assertEquals(interrupt.toString(), violation.interrupt());
      assertEquals(0, interrupt.getStatistics().workItemsQueued());
    }
  }

  @Test
  void stopWaitsForTheRunningAndTheQueuedWorkItemsBeforeItReturns() {
    CountDownLatch disableCalled = new CountDownLatch(1);
    AtomicBoolean blockerFinished = new AtomicBoolean();
    AtomicInteger bRuns = new AtomicInteger();
    InterruptConfig blocker =
        InterruptConfig.builder("blocker", TestSupport.queueWorkItem())
            .workItem(
                (interrupt, device) -> {
                  blockerEntered.countDown();
                  awaitQuietly(releaseBlocker);
                  blockerFinished.set(true);
                })
            .enable((interrupt, device) -> {})
            .disable((interrupt, device) -> disableCalled.countDown())
            .build();
    InterruptConfig b =
        InterruptConfig.builder("b", queueing(new CopyOnWriteArrayList<>()))
            .workItem((interrupt, device) -> bRuns.incrementAndGet())
            .build();
    SimulatedHardware hardware = SimulatedHardware.builder().edge("blocker").edge("b").build();
    // b is created first, so stop() disconnects the blocker first and its disable callback tells
    // the test that stop() is under way; then the drain must wait for both work items.
    try (DeviceNode device = TestSupport.device(hardware, b, blocker)) {
      device.start();
      Interrupt bInterrupt = device.getInterrupts("b").get(0);
      hardware.interrupt("blocker").fire();
      await(blockerEntered);
      hardware.interrupt("b").fire();
      await("b's work item queued", () -> bInterrupt.getStatistics().workItemsQueued() == 1);

      AtomicBoolean stopReturned = new AtomicBoolean();
      Thread stopper = Thread.ofPlatform().start(() -> {
        device.stop();
        stopReturned.set(true);
      });
      await(disableCalled); // stop() is in the blocker's D0 exit
      assertFalse(stopReturned.get(), "stop() returned while a work item was still running");
      releaseBlocker.countDown();
      try {
        stopper.join(TestSupport.TIMEOUT_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      assertTrue(stopReturned.get());
      assertTrue(blockerFinished.get(), "stop() returned before the running work item finished");
      assertEquals(1, bRuns.get(), "stop() returned before the queued work item ran");
    }
  }

  @Test
  void isrRunningSeveralTimesBeforeTheWorkItemGetsOneRun() {
    List<Boolean> results = new CopyOnWriteArrayList<>();
    AtomicInteger runs = new AtomicInteger();
    InterruptConfig b =
        InterruptConfig.builder("b", queueing(results))
            .workItem((interrupt, device) -> runs.incrementAndGet())
            .build();
    SimulatedHardware hardware = SimulatedHardware.builder().edge("blocker").edge("b").build();
    try (DeviceNode device = TestSupport.device(hardware, blocker(), b)) {
      device.start();
      hardware.interrupt("blocker").fire();
      await(blockerEntered);
      for (int i = 1; i <= 5; i++) {
        hardware.interrupt("b").fire();
        int expected = i;
        await("ISR " + i, () -> results.size() == expected);
      }
      releaseBlocker.countDown();
      device.stop();
      assertEquals(List.of(true, false, false, false, false), results);
      assertEquals(1, runs.get());
    }
  }

  @Test
  void workItemThatKeepsRequeueingItselfDoesNotKeepStopFromReturning() {
    AtomicInteger runs = new AtomicInteger();
    List<Boolean> lastResults = new CopyOnWriteArrayList<>();
    InterruptConfig a =
        InterruptConfig.builder("a", queueing(new CopyOnWriteArrayList<>()))
            .workItem(
                (interrupt, device) -> {
                  runs.incrementAndGet();
                  lastResults.add(interrupt.queueWorkItemForIsr()); // a polling driver
                })
            .build();
    SimulatedHardware hardware = SimulatedHardware.builder().edge("a").build();
    try (DeviceNode device = TestSupport.device(hardware, a)) {
      device.start();
      hardware.interrupt("a").fire();
      await("a few runs", () -> runs.get() > 3);
      Thread stopper = Thread.ofPlatform().start(device::stop);
      try {
        stopper.join(TestSupport.TIMEOUT_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      assertFalse(stopper.isAlive(), "stop() never returned: the drain chased a re-queueing work item");
      int runsAtStop = runs.get();
      assertFalse(lastResults.get(lastResults.size() - 1), "queueing during rundown must fail");
      assertEquals(runsAtStop, device.getInterrupts().get(0).getStatistics().workItemsRun());

      // After the next start the work item can be queued again.
      device.start();
      hardware.interrupt("a").fire();
      await("runs after restart", () -> runs.get() > runsAtStop + 3);
      device.stop();
    }
  }
}
