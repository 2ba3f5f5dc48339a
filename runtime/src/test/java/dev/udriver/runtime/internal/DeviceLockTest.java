package dev.udriver.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.DeviceRuleViolation;
import dev.udriver.runtime.HandWiring;
import dev.udriver.runtime.Interrupt;
import dev.udriver.runtime.InterruptConfig;
import dev.udriver.runtime.InterruptRuleViolation;
import dev.udriver.runtime.VerifierFinding;
import dev.udriver.runtime.sim.SimulatedHardware;
import dev.udriver.runtime.sim.Simulation;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The device's lock ({@code IWDFObject::AcquireLock}): what automatically serialized work items run
 * under, taken by driver code on any thread; and its misuse.
 */
class DeviceLockTest {

  private static final InterruptConfig.Isr QUEUE =
      (interrupt, id) -> {
        interrupt.queueWorkItemForIsr();
        return true;
      };

  private final SimulatedHardware hardware = SimulatedHardware.builder().edge("rx").build();
  private Simulation sim;

  @AfterEach
  void close() {
    if (sim != null) {
      sim.close();
    }
  }

  /** A device of a new simulation whose one interrupt, "rx", is configured by {@code config}. */
  private DeviceNode device(Simulation simulation, InterruptConfig config) {
    sim = simulation;
    DeviceNode device = sim.device("dev-lock", hardware);
    device.addDriver(new Object(), HandWiring.of(config));
    return device;
  }

  /** {@link #device}, started, with an interrupt whose work item {@code workItem} is. */
  private DeviceNode startedWithWorkItem(
      Simulation simulation, InterruptConfig.WorkItem workItem, boolean automaticSerialization) {
    DeviceNode device =
        device(
            simulation,
            InterruptConfig.builder("rx", QUEUE)
                .workItem(workItem)
                .automaticSerialization(automaticSerialization)
                .build());
    device.start();
    return device;
  }

  @Test
  void anApplicationThreadHoldingTheDeviceLockHoldsBackAnAutomaticallySerializedWorkItem() {
    List<String> events = new CopyOnWriteArrayList<>();
    CountDownLatch ran = new CountDownLatch(1);
    DeviceNode device =
        startedWithWorkItem(
            Simulation.threaded(),
            (interrupt, associated) -> {
              events.add("work item");
              ran.countDown();
            },
            true);
    InterruptObject rx = (InterruptObject) device.getInterrupts().getFirst();
    try (var held = device.lock()) {
      events.add("locked");
      hardware.interrupt("rx").fire();
      // The worker took the work item and waits for the lock this thread holds.
      Await.until("the work item waits for the device lock", rx::deviceLockHasWaiters);
      assertEquals(1, ran.getCount(), "the work item ran under a lock held elsewhere");
      events.add("releasing");
    }
    Await.latch(ran);
    assertEquals(List.of("locked", "releasing", "work item"), events);
    device.stop();
    sim.assertClean();
  }

  @Test
  void aWorkItemWithoutAutomaticSerializationRunsWhileTheDeviceLockIsHeld() {
    List<String> events = new CopyOnWriteArrayList<>();
    CountDownLatch ran = new CountDownLatch(1);
    DeviceNode device =
        startedWithWorkItem(
            Simulation.threaded(),
            (interrupt, associated) -> {
              events.add("work item");
              ran.countDown();
            },
            false);
    boolean ranUnderTheLock =
        device.synchronize(
            () -> {
              events.add("locked");
              hardware.interrupt("rx").fire();
              return Await.quietly(ran);
            });
    events.add("released");
    assertTrue(ranUnderTheLock, "the work item waited for the device lock");
    assertEquals(List.of("locked", "work item", "released"), events);
    device.stop();
    sim.assertClean();
  }

  @Test
  void releaseWithoutAcquireAndRecursionThrowNamingTheDeviceAndRule() {
    DeviceNode device = device(Simulation.deterministic(), InterruptConfig.builder("rx", QUEUE).build());
    DeviceRuleViolation release = assertThrows(DeviceRuleViolation.class, device::releaseLock);
    assertEquals("DEVICE_LOCK_RELEASE_WITHOUT_ACQUIRE", release.rule());
    assertEquals("dev-lock", release.device());
    assertTrue(
        release.getMessage().startsWith("device dev-lock: DEVICE_LOCK_RELEASE_WITHOUT_ACQUIRE"),
        release.getMessage());

    device.acquireLock();
    DeviceRuleViolation recursion = assertThrows(DeviceRuleViolation.class, device::acquireLock);
    assertEquals("DEVICE_LOCK_NO_RECURSION", recursion.rule());
    assertEquals(VerifierFinding.DEVICE_LOCK_RECURSION, recursion.rule()); // one id, thrown and reported
    assertEquals("dev-lock", recursion.device());
    device.releaseLock(); // held once: one release frees it
    assertThrows(DeviceRuleViolation.class, device::releaseLock);
  }

  @Test
  void stopWhileHoldingTheDeviceLockIsRefusedInsteadOfWaitingForItself() {
    DeviceNode device = startedWithWorkItem(Simulation.deterministic(), (interrupt, associated) -> {}, true);
    try (var held = device.lock()) {
      DeviceRuleViolation stop = assertThrows(DeviceRuleViolation.class, device::stop);
      assertEquals("DRAIN_UNDER_DEVICE_LOCK", stop.rule());
      Interrupt rx = device.getInterrupts().getFirst();
      assertThrows(DeviceRuleViolation.class, rx::disable);
      assertTrue(device.isStarted());
    }
    device.stop();
    assertFalse(device.isStarted());
  }

  @Test
  void anAutomaticallySerializedWorkItemThatTakesTheDeviceLockAgainIsARecursion() {
    DeviceNode device =
        startedWithWorkItem(
            Simulation.deterministic(), (interrupt, associated) -> associated.acquireLock(), true);
    hardware.interrupt("rx").fire();
    sim.runUntilIdle();
    Simulation.Failure failure = sim.failures().getFirst();
    assertEquals("OnInterruptWorkItem", failure.callback());
    assertEquals(
        "DEVICE_LOCK_NO_RECURSION", assertInstanceOf(DeviceRuleViolation.class, failure.failure()).rule());
    VerifierFinding finding = sim.findings().getFirst();
    assertEquals(VerifierFinding.DEVICE_LOCK_RECURSION, finding.rule());
    assertEquals("OnInterruptWorkItem", finding.callback());
    InterruptObject rx = (InterruptObject) device.getInterrupts().getFirst();
    assertEquals(rx, finding.interrupt());
    assertFalse(rx.deviceCallbackLockHeldByCurrentThread(), "the framework released its hold");
  }

  @Test
  void anAutomaticallySerializedWorkItemThatReleasesTheFrameworksHoldIsReported() {
    DeviceNode device =
        startedWithWorkItem(
            Simulation.deterministic(), (interrupt, associated) -> associated.releaseLock(), true);
    hardware.interrupt("rx").fire();
    sim.runUntilIdle();
    Simulation.Failure failure = sim.failures().getFirst();
    assertEquals("OnInterruptWorkItem", failure.callback());
    assertEquals(
        VerifierFinding.DEVICE_LOCK_RELEASED_BY_CALLBACK,
        assertInstanceOf(DeviceRuleViolation.class, failure.failure()).rule());
    assertEquals("dev-lock", ((DeviceRuleViolation) failure.failure()).device());
    assertEquals(VerifierFinding.DEVICE_LOCK_RELEASED_BY_CALLBACK, sim.findings().getFirst().rule());
    device.acquireLock(); // free, and this thread can take it
    device.releaseLock();
  }

  @Test
  void theVerifierReportsTheDeviceLockTakenInsideTheIsr() {
    DeviceNode device =
        device(
            Simulation.deterministic(),
            InterruptConfig.builder(
                    "rx",
                    (interrupt, id) -> {
                      try (var held = interrupt.getDevice().lock()) {
                        return true;
                      }
                    })
                .build());
    device.start();
    hardware.interrupt("rx").fire();
    sim.runPendingIsrs();
    assertUnderInterruptLock(device, "OnInterruptIsr", "lock()");
  }

  @Test
  void theVerifierReportsTheDeviceLockTakenInsideTheEnableCallback() {
    DeviceNode device =
        device(
            Simulation.deterministic(),
            InterruptConfig.builder("rx", QUEUE)
                .enable((interrupt, associated) -> associated.synchronize(() -> null))
                .disable((interrupt, associated) -> {})
                .build());
    device.start();
    assertUnderInterruptLock(device, "OnInterruptEnable", "synchronize()");
  }

  private void assertUnderInterruptLock(DeviceNode device, String callback, String call) {
    assertEquals(List.of(), sim.failures());
    List<VerifierFinding> findings = sim.findings();
    assertEquals(1, findings.size(), findings.toString());
    VerifierFinding finding = findings.getFirst();
    assertEquals(VerifierFinding.DEVICE_LOCK_UNDER_INTERRUPT_LOCK, finding.rule());
    assertEquals(callback, finding.callback());
    assertEquals(device.getInterrupts().getFirst(), finding.interrupt());
    assertTrue(finding.message().startsWith(call), finding.message());
  }

  @Test
  void theVerifierReportsTheInterruptLockTakenInAnAutomaticallySerializedWorkItem() {
    startedWithWorkItem(
        Simulation.deterministic(), (interrupt, associated) -> interrupt.synchronize(() -> null), true);
    hardware.interrupt("rx").fire();
    sim.runUntilIdle();
    assertEquals(List.of(), sim.failures());
    VerifierFinding finding = sim.findings().getFirst();
    assertEquals(VerifierFinding.INTERRUPT_LOCK_UNDER_DEVICE_LOCK, finding.rule());
    assertEquals("OnInterruptWorkItem", finding.callback());
    assertEquals(1, sim.findings().size(), sim.findings().toString());
  }

  @Test
  void aWorkItemThatReturnsHoldingTheDeviceLockIsReportedAndTheLockFreed() {
    DeviceNode device =
        startedWithWorkItem(
            Simulation.deterministic(), (interrupt, associated) -> associated.acquireLock(), false);
    InterruptObject rx = (InterruptObject) device.getInterrupts().getFirst();
    hardware.interrupt("rx").fire();
    sim.runUntilIdle(); // the work item runs on this thread
    assertFalse(rx.deviceCallbackLockHeldByCurrentThread());
    Simulation.Failure failure = sim.failures().getFirst();
    assertEquals("OnInterruptWorkItem", failure.callback());
    assertEquals(
        VerifierFinding.DEVICE_LOCK_HELD_AFTER_CALLBACK,
        assertInstanceOf(DeviceRuleViolation.class, failure.failure()).rule());
    assertEquals("dev-lock", ((DeviceRuleViolation) failure.failure()).device());
    assertEquals(VerifierFinding.DEVICE_LOCK_HELD_AFTER_CALLBACK, sim.findings().getFirst().rule());
    device.stop(); // not refused: the lock was freed
  }
  @Test
  void deterministicWorkItemsRunWhileTheTestHoldsTheDeviceLockLeaveItsHoldAlone() {
    List<String> events = new CopyOnWriteArrayList<>();
    DeviceNode device =
        startedWithWorkItem(Simulation.deterministic(), (interrupt, associated) -> events.add("work item"), false);
    InterruptObject rx = (InterruptObject) device.getInterrupts().getFirst();
    try (var held = device.lock()) {
      hardware.interrupt("rx").fire();
      sim.runUntilIdle(); // on this thread, which holds the lock: not the work item's hold
      assertEquals(List.of("work item"), events);
      assertTrue(rx.deviceCallbackLockHeldByCurrentThread(), "the test's own hold was released");
    }
    assertEquals(List.of(), sim.failures());
    assertEquals(List.of(), sim.findings());
    device.stop();
  }

  @Test
  void aDeterministicSerializedWorkItemWaitsForTheTestToReleaseTheDeviceLock() {
    List<String> events = new CopyOnWriteArrayList<>();
    DeviceNode device =
        startedWithWorkItem(
            Simulation.deterministic(),
            (interrupt, associated) -> {
              InterruptObject self = (InterruptObject) interrupt;
              events.add("work item, framework hold " + self.deviceCallbackLockHeldByCurrentThread());
            },
            true);
    try (var held = device.lock()) {
      hardware.interrupt("rx").fire();
      sim.runPendingIsrs();
      assertEquals(0, sim.runWorkItems(), "a work item ran inside the test's hold");
      assertTrue(sim.hasQueuedWorkItems(), "the work item was dropped");
      IllegalStateException idle = assertThrows(IllegalStateException.class, sim::runUntilIdle);
      assertTrue(idle.getMessage().contains("device lock"), idle.getMessage());
      assertEquals(List.of(), events);
    }
    sim.runUntilIdle();
    assertEquals(List.of("work item, framework hold true"), events);
    assertEquals(List.of(), sim.failures());
    device.stop();
    sim.assertClean();
  }
  /**
   * This thread holds the device lock; the worker waits for it in a serialized work item; another
   * thread's stop holds the lifecycle lock and drains, waiting for the worker. Asking whether the
   * device is started, enabling, starting: none may wait for the lifecycle lock now.
   */
  @Test
  void aThreadHoldingTheDeviceLockDoesNotWaitForTheLifecycleLockOfAStopDrainingUnderIt() {
    CountDownLatch ran = new CountDownLatch(1);
    DeviceNode device = startedWithWorkItem(Simulation.threaded(), (interrupt, associated) -> ran.countDown(), true);
    InterruptObject rx = (InterruptObject) device.getInterrupts().getFirst();
    assertTimeoutPreemptively(
        java.time.Duration.ofSeconds(20),
        () -> {
          Thread[] stopping = new Thread[1];
          try (var held = device.lock()) {
            hardware.interrupt("rx").fire();
            Await.until("the work item waits for the device lock", rx::deviceLockHasWaiters);
            stopping[0] = Thread.ofPlatform().name("stopper").start(device::stop);
            Await.until(
                "the stop drains the work item",
                () -> drainsWorkItems(rx));
            assertTrue(device.isStarted()); // the stop has not finished
            // The stop disabled rx already (it drains after the disable callback): no double
            // enable. It cannot wait for the stop; the next start connects it.
            rx.enable();
            DeviceRuleViolation start = assertThrows(DeviceRuleViolation.class, device::start);
            assertEquals("DRAIN_UNDER_DEVICE_LOCK", start.rule());
            assertEquals(1, ran.getCount(), "the work item ran under a lock held elsewhere");
          }
          Await.latch(ran);
          stopping[0].join();
        });
    assertFalse(device.isStarted());
    assertFalse(rx.isEnabled());
    device.start();
    assertTrue(rx.isEnabled(), "the enable() made during the stop was dropped");
    device.stop();
    sim.assertClean();
  }
  @Test
  void onTheWorkerThreadAWorkItemThatReturnsHoldingTheDeviceLockIsStillCaught() {
    CountDownLatch second = new CountDownLatch(1);
    int[] runs = new int[1];
    DeviceNode device =
        startedWithWorkItem(
            Simulation.threaded(),
            (interrupt, associated) -> {
              if (runs[0]++ == 0) {
                associated.acquireLock(); // and returns holding it
              } else {
                second.countDown(); // a run that does not touch the lock: nothing to check
              }
            },
            false);
    hardware.interrupt("rx").fire();
    Await.until("the left hold reported", () -> !sim.failures().isEmpty());
    Simulation.Failure failure = sim.failures().getFirst();
    assertEquals(
        VerifierFinding.DEVICE_LOCK_HELD_AFTER_CALLBACK,
        assertInstanceOf(DeviceRuleViolation.class, failure.failure()).rule());
    hardware.interrupt("rx").fire();
    Await.latch(second);
    try (var held = device.lock()) { // released for the work item: free for this thread
      assertEquals(1, sim.failures().size(), sim.failures().toString());
    }
    device.stop();
  }

  @Test
  void withTheVerifierOffAnIsrThatReturnsHoldingTheDeviceLockIsStillCaught() {
    sim = Simulation.threaded();
    DeviceNode device = sim.deviceBuilder("dev-lock", hardware).verifier(false).build();
    AtomicInteger isrCalls = new AtomicInteger();
    CountDownLatch workItemRan = new CountDownLatch(1);
    device.addDriver(
        new Object(),
        HandWiring.of(
            InterruptConfig.builder(
                    "rx",
                    (interrupt, id) -> {
                      if (isrCalls.incrementAndGet() == 1) {
                        interrupt.getDevice().acquireLock(); // and returns holding it
                      }
                      interrupt.queueWorkItemForIsr();
                      return true;
                    })
                .workItem((interrupt, associated) -> workItemRan.countDown())
                .automaticSerialization(true)
                .build()));
    device.start();
    hardware.interrupt("rx").fire();
    // Kept, the hold would keep the serialized work item waiting and the stop's drain with it.
    Await.latch(workItemRan);
    Simulation.Failure failure = sim.failures().getFirst();
    assertEquals("OnInterruptIsr", failure.callback());
    assertEquals(
        VerifierFinding.DEVICE_LOCK_HELD_AFTER_CALLBACK,
        assertInstanceOf(DeviceRuleViolation.class, failure.failure()).rule());
    assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), device::stop);
  }

  // ------------------------------------------------- enable() while another interrupt's disable() drains

  /** Hardware with the edge lines "rx" and "tx", for a driver that disables one while using the other. */
  private final SimulatedHardware twoLines = SimulatedHardware.builder().edge("rx").edge("tx").build();

  /** A started device of a threaded simulation on {@link #twoLines}: rx counts its ISR calls. */
  private DeviceNode twoInterrupts(AtomicInteger rxIsrCalls, InterruptConfig tx) {
    sim = Simulation.threaded();
    DeviceNode device = sim.device("dev-lock-two", twoLines);
    device.addDriver(
        new Object(),
        HandWiring.of(
            InterruptConfig.builder(
                    "rx",
                    (interrupt, id) -> {
                      rxIsrCalls.incrementAndGet();
                      return true;
                    })
                .build(),
            tx));
    device.start();
    return device;
  }

  /** {@link #twoInterrupts} with a tx whose automatically serialized work item counts down {@code txWorkRan}. */
  private DeviceNode twoInterruptsTxSerialized(AtomicInteger rxIsrCalls, CountDownLatch txWorkRan) {
    return twoInterrupts(
        rxIsrCalls,
        InterruptConfig.builder("tx", QUEUE)
            .workItem((interrupt, associated) -> txWorkRan.countDown())
            .automaticSerialization(true)
            .build());
  }

  /** Fires rx and waits until its ISR ran once more than {@code before}. */
  private void assertRxServed(AtomicInteger rxIsrCalls, int before) {
    twoLines.interrupt("rx").fire();
    Await.until("rx's ISR runs", () -> rxIsrCalls.get() > before);
  }

  /**
   * Holding the device lock, fires tx, whose serialized work item then waits for that lock, starts
   * tx's disable() on another thread, whose drain waits for the work item, and runs {@code
   * underTheDrain} there; then lets go of the lock and waits for the work item and the disable.
   */
  private void underTheDeviceLockWhileTxDrains(
      DeviceNode device, CountDownLatch txWorkRan, Executable underTheDrain) {
    Interrupt tx = device.getInterrupts("tx").getFirst();
    Thread[] disabler = new Thread[1];
    assertTimeoutPreemptively(
        java.time.Duration.ofSeconds(20),
        () -> {
          try (var held = device.lock()) {
            twoLines.interrupt("tx").fire();
            Await.until("tx's work item waits for the device lock", ((InterruptObject) tx)::deviceLockHasWaiters);
            drainingDisable(tx, disabler);
            underTheDrain.execute();
          }
          Await.latch(txWorkRan);
          disabler[0].join();
        });
  }

  private static InterruptObject drainingDisable(Interrupt tx, Thread[] disabler) {
    InterruptObject txObject = (InterruptObject) tx;
    disabler[0] = Thread.ofPlatform().name("disabler").start(tx::disable);
    Await.until(
        "tx's disable() drains its work item",
        () -> drainsWorkItems(txObject));
    return txObject;
  }

  /** One read of the wait: between two, a stop or disable may leave the wait it was in. */
  private static boolean drainsWorkItems(InterruptObject interrupt) {
    InterruptObject.DisconnectWait wait = interrupt.disconnectWaitNow();
    return wait != null && wait.kind() == InterruptObject.DisconnectWait.Kind.WORK_ITEMS;
  }

  /**
   * The drain of tx's disable() waits for a work item that does not take the device lock: a thread
   * holding the device lock can wait for it, so its enable() of rx waits and returns with rx enabled.
   */
  @Test
  void enableUnderTheDeviceLockWaitsForADrainThatDoesNotNeedTheLock() throws Exception {
    AtomicInteger rxIsrCalls = new AtomicInteger();
    CountDownLatch txWorkStarted = new CountDownLatch(1);
    CountDownLatch releaseTxWork = new CountDownLatch(1);
    DeviceNode device =
        twoInterrupts(
            rxIsrCalls,
            InterruptConfig.builder("tx", QUEUE)
                .workItem(
                    (interrupt, associated) -> {
                      txWorkStarted.countDown();
                      Await.quietly(releaseTxWork);
                    })
                .build());
    Interrupt rx = device.getInterrupts("rx").getFirst();
    Interrupt tx = device.getInterrupts("tx").getFirst();
    rx.disable();
    twoLines.interrupt("tx").fire();
    Await.latch(txWorkStarted);
    Thread[] disabler = new Thread[1];
    drainingDisable(tx, disabler);
    Thread enabling = Thread.currentThread();
    Thread releaser =
        Thread.ofPlatform()
            .start(
                () -> {
                  // The enable below waits for the lifecycle lock while the drain goes on.
                  Await.until("enable() waits", () -> enabling.getState() == Thread.State.TIMED_WAITING);
                  releaseTxWork.countDown();
                });
    try (var held = device.lock()) {
      rx.enable();
      assertTrue(((InterruptObject) rx).isEnabled(), "enable() returned before rx was enabled");
    }
    releaser.join();
    disabler[0].join();
    assertRxServed(rxIsrCalls, 0);
    device.stop();
    sim.assertClean();
  }

  /**
   * The drain of tx's disable() waits for tx's serialized work item, which waits for the device lock
   * this thread holds: its enable() of rx cannot wait. It is not dropped: the disabling thread
   * applies it before it lets go of the lifecycle lock.
   */
  @Test
  void enableUnderTheDeviceLockThatCannotWaitForADrainIsAppliedWhenTheDrainEnds() throws Exception {
    AtomicInteger rxIsrCalls = new AtomicInteger();
    CountDownLatch txWorkRan = new CountDownLatch(1);
    DeviceNode device = twoInterruptsTxSerialized(rxIsrCalls, txWorkRan);
    InterruptObject rx = (InterruptObject) device.getInterrupts("rx").getFirst();
    rx.disable();
    underTheDeviceLockWhileTxDrains(
        device,
        txWorkRan,
        () -> {
          rx.enable(); // cannot wait: the drain waits for this thread's lock
          assertFalse(rx.isEnabled(), "enabled under a drain waiting for the device lock");
        });
    assertTrue(rx.isEnabled(), "the enable() made during the drain was dropped");
    assertRxServed(rxIsrCalls, 0);
    device.stop();
    sim.assertClean();
  }

  /** An enable() that backs off from a drain is still checked: a double enable is reported. */
  @Test
  void aDoubleEnableUnderTheDeviceLockIsReportedEvenWhenTheEnableCannotWait() throws Exception {
    AtomicInteger rxIsrCalls = new AtomicInteger();
    CountDownLatch txWorkRan = new CountDownLatch(1);
    DeviceNode device = twoInterruptsTxSerialized(rxIsrCalls, txWorkRan);
    InterruptObject rx = (InterruptObject) device.getInterrupts("rx").getFirst();
    underTheDeviceLockWhileTxDrains(
        device,
        txWorkRan,
        () -> {
          InterruptRuleViolation doubleEnable = assertThrows(InterruptRuleViolation.class, rx::enable);
          assertEquals(VerifierFinding.DOUBLE_ENABLE, doubleEnable.rule());
        });
    assertEquals(
        List.of(VerifierFinding.DOUBLE_ENABLE),
        sim.findings().stream().map(VerifierFinding::rule).toList());
    assertTrue(rx.isEnabled());
    device.stop();
  }

  /**
   * tx's work item enables rx while tx's disable() drains, waiting for this very work item: the
   * worker cannot wait for the lifecycle lock, and the disabling thread applies the enable.
   */
  @Test
  void anEnableFromAWorkItemDuringADrainWaitingForItIsAppliedWhenTheDrainEnds() throws Exception {
    AtomicInteger rxIsrCalls = new AtomicInteger();
    DeviceNode device = callRxFromTxWorkItemWhileTxDrains(rxIsrCalls, true, Interrupt::enable);
    InterruptObject rx = (InterruptObject) device.getInterrupts("rx").getFirst();
    assertTrue(rx.isEnabled(), "the work item's enable() during the drain was dropped");
    assertRxServed(rxIsrCalls, 0);
    device.stop();
    sim.assertClean();
  }

  /** The same for a disable(): rx must not stay connected, serving ISRs the driver turned off. */
  @Test
  void aDisableFromAWorkItemDuringADrainWaitingForItIsAppliedWhenTheDrainEnds() throws Exception {
    AtomicInteger rxIsrCalls = new AtomicInteger();
    DeviceNode device = callRxFromTxWorkItemWhileTxDrains(rxIsrCalls, false, Interrupt::disable);
    InterruptObject rx = (InterruptObject) device.getInterrupts("rx").getFirst();
    assertFalse(rx.isEnabled(), "the work item's disable() during the drain was dropped");
    twoLines.interrupt("rx").fire();
    Thread.sleep(200); // a disconnected line: nothing may reach the ISR
    assertEquals(0, rxIsrCalls.get());
    device.stop();
    sim.assertClean();
  }

  /**
   * A started {@link #twoInterrupts} device (rx disabled first if asked) whose tx work item calls
   * {@code call} on rx while tx's disable() drains, waiting for that work item; returns once the
   * call and the disable() have both returned.
   */
  private DeviceNode callRxFromTxWorkItemWhileTxDrains(
      AtomicInteger rxIsrCalls, boolean disableRxFirst, Consumer<Interrupt> call) throws Exception {
    AtomicReference<Interrupt> rxRef = new AtomicReference<>();
    CountDownLatch txWorkStarted = new CountDownLatch(1);
    CountDownLatch callNow = new CountDownLatch(1);
    CountDownLatch callReturned = new CountDownLatch(1);
    DeviceNode device =
        twoInterrupts(
            rxIsrCalls,
            InterruptConfig.builder("tx", QUEUE)
                .workItem(
                    (interrupt, associated) -> {
                      txWorkStarted.countDown();
                      Await.quietly(callNow);
                      call.accept(rxRef.get());
                      callReturned.countDown();
                    })
                .build());
    Interrupt rx = device.getInterrupts("rx").getFirst();
    rxRef.set(rx);
    Interrupt tx = device.getInterrupts("tx").getFirst();
    if (disableRxFirst) {
      rx.disable();
    }
    twoLines.interrupt("tx").fire();
    Await.latch(txWorkStarted);
    Thread[] disabler = new Thread[1];
    drainingDisable(tx, disabler);
    callNow.countDown();
    Await.latch(callReturned);
    disabler[0].join();
    return device;
  }

  /** A second enable() while the first one waits to be applied is a double enable too. */
  @Test
  void aSecondEnableWhileTheFirstIsDeferredIsReportedAsADoubleEnable() throws Exception {
    AtomicInteger rxIsrCalls = new AtomicInteger();
    CountDownLatch txWorkRan = new CountDownLatch(1);
    DeviceNode device = twoInterruptsTxSerialized(rxIsrCalls, txWorkRan);
    InterruptObject rx = (InterruptObject) device.getInterrupts("rx").getFirst();
    rx.disable();
    underTheDeviceLockWhileTxDrains(
        device,
        txWorkRan,
        () -> {
          rx.enable(); // deferred
          InterruptRuleViolation doubleEnable = assertThrows(InterruptRuleViolation.class, rx::enable);
          assertEquals(VerifierFinding.DOUBLE_ENABLE, doubleEnable.rule());
        });
    assertEquals(
        List.of(VerifierFinding.DOUBLE_ENABLE),
        sim.findings().stream().map(VerifierFinding::rule).toList());
    assertTrue(rx.isEnabled(), "the first enable() was not applied");
    assertRxServed(rxIsrCalls, 0);
    device.stop();
  }
}
