package dev.udriver.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.runtime.Device;
import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.HandWiring;
import dev.udriver.runtime.HungCallback;
import dev.udriver.runtime.Interrupt;
import dev.udriver.runtime.InterruptConfig;
import dev.udriver.runtime.sim.SimulatedHardware;
import dev.udriver.runtime.sim.Simulation;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The watchdog's checks, driven here at chosen times (its own thread is off on these devices), so
 * that what it reports and when is exact: once per call, never for a call shorter than the
 * threshold, never for two calls taken for one.
 */
class CallbackWatchdogTest {

  private static final long THRESHOLD = TimeUnit.MILLISECONDS.toNanos(50);

  /** A driver whose callbacks block until the test lets them go. */
  static final class StuckDriver {
    final AtomicInteger isrCallsEntered = new AtomicInteger();
    final Semaphore isrReturns = new Semaphore(0);
    final CountDownLatch workItemEntered = new CountDownLatch(1);
    final CountDownLatch workItemReturns = new CountDownLatch(1);
    final CountDownLatch enableEntered = new CountDownLatch(1);
    final CountDownLatch enableReturns = new CountDownLatch(1);

    boolean stuckIsr(Interrupt interrupt, int messageId) {
      isrCallsEntered.incrementAndGet();
      try {
        isrReturns.tryAcquire(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return true;
    }

    boolean queueingIsr(Interrupt interrupt, int messageId) {
      interrupt.queueWorkItemForIsr();
      return true;
    }

    void stuckWorkItem(Interrupt interrupt, Device device) {
      workItemEntered.countDown();
      Await.quietly(workItemReturns);
    }

    void stuckEnable(Interrupt interrupt, Device device) {
      enableEntered.countDown();
      Await.quietly(enableReturns);
    }

    void disable(Interrupt interrupt, Device device) {}
  }

  private final StuckDriver driver = new StuckDriver();
  private final SimulatedHardware hardware = SimulatedHardware.builder().edge("rx").build();
  private Simulation sim;
  private DeviceNode device;
  private InterruptObject rx;
  private CallbackWatchdog watchdog;

  @BeforeEach
  void simulation() {
    sim = Simulation.threaded();
  }

  @AfterEach
  void close() {
    driver.isrReturns.release(100);
    driver.workItemReturns.countDown();
    driver.enableReturns.countDown();
    if (device != null) {
      device.close();
    }
    sim.close();
  }

  /** A device whose own watchdog is off, and a watchdog of the test's over its interrupts. */
  private void device(InterruptConfig config) {
    device =
        sim.deviceBuilder("wd" + System.nanoTime(), hardware)
            .watchdog(Duration.ZERO, Duration.ZERO, Duration.ZERO)
            .build();
    device.addDriver(new Object(), HandWiring.of(config));
    rx = (InterruptObject) device.getInterrupts().getFirst();
    watchdog = new CallbackWatchdog(rx.device(), THRESHOLD, THRESHOLD, THRESHOLD);
    watchdog.watch(rx.device().interruptObjects());
  }

  private static void assertStackHas(HungCallback hung, String method) {
    boolean found =
        Arrays.stream(hung.stack().getStackTrace())
            .anyMatch(
                frame -> frame.getClassName().equals(StuckDriver.class.getName())
                    && frame.getMethodName().equals(method));
    assertTrue(found, () -> method + " not on the reported stack: " + Arrays.toString(hung.stack().getStackTrace()));
  }

  @Test
  void aHungIsrIsReportedOnceWithItsThreadAndStack() {
    device(InterruptConfig.builder("rx", driver::stuckIsr).build());
    device.start();
    hardware.interrupt("rx").fire();
    Await.until("the ISR runs", () -> driver.isrCallsEntered.get() == 1);

    long seen = System.nanoTime();
    watchdog.check(seen);
    watchdog.check(seen + THRESHOLD - 1);
    assertEquals(List.of(), sim.hungCallbacks(), "reported before the threshold");
    watchdog.check(seen + THRESHOLD);
    watchdog.check(seen + 3 * THRESHOLD);
    List<HungCallback> hung = sim.hungCallbacks();
    assertEquals(1, hung.size(), hung.toString());
    HungCallback report = hung.getFirst();
    assertEquals(rx, report.interrupt());
    assertEquals("OnInterruptIsr", report.callback());
    assertEquals(Duration.ofNanos(THRESHOLD), report.runningFor());
    assertEquals(Duration.ofNanos(THRESHOLD), report.threshold());
    assertEquals(DeviceNode.dispatcherThreadOf(rx), report.thread());
    assertStackHas(report, "stuckIsr");

    driver.isrReturns.release();
    Await.until("the ISR returned", () -> rx.isrThreadNow() == null);
    watchdog.check(seen + 4 * THRESHOLD);
    assertEquals(1, sim.hungCallbacks().size());
  }

  @Test
  void twoIsrCallsSeenAtTwoChecksAreNotTakenForOneHungCall() {
    device(InterruptConfig.builder("rx", driver::stuckIsr).build());
    device.start();
    hardware.interrupt("rx").fire();
    Await.until("the first call runs", () -> driver.isrCallsEntered.get() == 1);
    long seen = System.nanoTime();
    watchdog.check(seen);

    driver.isrReturns.release(); // the first call ends, a second one runs
    hardware.interrupt("rx").fire();
    Await.until("the second call runs", () -> driver.isrCallsEntered.get() == 2);
    watchdog.check(seen + THRESHOLD);
    assertEquals(List.of(), sim.hungCallbacks(), "two calls of under the threshold each");

    watchdog.check(seen + 2 * THRESHOLD); // the second call, first seen one threshold ago
    List<HungCallback> hung = sim.hungCallbacks();
    assertEquals(1, hung.size(), hung.toString());
    assertEquals(Duration.ofNanos(THRESHOLD), hung.getFirst().runningFor());
  }

  @Test
  void aHungWorkItemIsReportedOnceWithTheWorkersStack() {
    device(
        InterruptConfig.builder("rx", driver::queueingIsr).workItem(driver::stuckWorkItem).build());
    device.start();
    long before = System.nanoTime();
    watchdog.check(before);
    assertEquals(List.of(), sim.hungCallbacks(), "nothing runs");
    hardware.interrupt("rx").fire();
    assertTrue(Await.quietly(driver.workItemEntered));

    long seen = System.nanoTime();
    watchdog.check(seen);
    watchdog.check(seen + THRESHOLD);
    watchdog.check(seen + 2 * THRESHOLD);
    List<HungCallback> hung = sim.hungCallbacks();
    assertEquals(1, hung.size(), hung.toString());
    HungCallback report = hung.getFirst();
    assertEquals(rx, report.interrupt());
    assertEquals("OnInterruptWorkItem", report.callback());
    assertEquals("udriver-work-" + device.getName(), report.thread());
    assertStackHas(report, "stuckWorkItem");
  }

  @Test
  void aHungEnableCallbackIsReportedFromItsStart() throws Exception {
    device(
        InterruptConfig.builder("rx", driver::queueingIsr)
            .enable(driver::stuckEnable)
            .disable(driver::disable)
            .build());
    Thread starter = Thread.ofPlatform().name("starter").start(device::start);
    assertTrue(Await.quietly(driver.enableEntered));
    long began = rx.lifecycleCallbackNow().startNanos(); // its own start: no race with this thread
    watchdog.check(began + THRESHOLD - 1);
    assertEquals(List.of(), sim.hungCallbacks(), "started less than the threshold ago");
    watchdog.check(began + THRESHOLD);
    watchdog.check(began + 2 * THRESHOLD);
    List<HungCallback> hung = sim.hungCallbacks();
    assertEquals(1, hung.size(), hung.toString());
    HungCallback report = hung.getFirst();
    assertEquals("OnInterruptEnable", report.callback());
    assertEquals("starter", report.thread());
    assertTrue(report.runningFor().toNanos() >= THRESHOLD, report.toString());
    assertStackHas(report, "stuckEnable");
    driver.enableReturns.countDown();
    starter.join(10_000);
    assertTrue(device.isStarted());
  }

  @Test
  void aStopWaitingForAHungWorkItemSaysOnceWhatItWaitsFor() throws Exception {
    device(
        InterruptConfig.builder("rx", driver::queueingIsr).workItem(driver::stuckWorkItem).build());
    device.start();
    hardware.interrupt("rx").fire();
    assertTrue(Await.quietly(driver.workItemEntered));
    Thread stopper = Thread.ofPlatform().name("stopper").start(device::stop);
    // One read per poll: the stop passes through other waits (and none) before this one.
    AtomicReference<InterruptObject.DisconnectWait> seen = new AtomicReference<>();
    Await.until(
        "the stop waits for the work item",
        () -> {
          InterruptObject.DisconnectWait wait = rx.disconnectWaitNow();
          seen.set(wait);
          return wait != null && wait.kind() == InterruptObject.DisconnectWait.Kind.WORK_ITEMS;
        });
    long since = seen.get().sinceNanos();
    watchdog.check(since + THRESHOLD - 1);
    assertEquals(List.of(), waits(), "waiting less than the threshold");
    watchdog.check(since + THRESHOLD);
    watchdog.check(since + 2 * THRESHOLD);
    List<String> waits = waits();
    assertEquals(1, waits.size(), waits.toString());
    String wait = waits.getFirst();
    assertTrue(wait.contains("thread stopper"), wait);
    assertTrue(wait.contains("interrupt " + rx), wait);
    assertTrue(wait.contains("OnInterruptWorkItem to return on thread udriver-work-" + device.getName()), wait);
    driver.workItemReturns.countDown();
    stopper.join(10_000);
    assertTrue(!device.isStarted());
  }

  private List<String> waits() {
    return sim.warnings().stream().filter(w -> w.contains("has waited")).toList();
  }
  @Test
  void aSerializedWorkItemWaitingForTheDeviceLockBlamesTheHolderNotTheWorkItem() {
    device(
        InterruptConfig.builder("rx", driver::queueingIsr)
            .workItem(driver::stuckWorkItem)
            .automaticSerialization(true)
            .build());
    device.start();
    try (var held = device.lock()) {
      hardware.interrupt("rx").fire();
      Await.until("the work item waits for the device lock", rx::deviceLockHasWaiters);
      long seen = System.nanoTime();
      watchdog.check(seen);
      watchdog.check(seen + THRESHOLD);
      watchdog.check(seen + 2 * THRESHOLD);
      assertEquals(List.of(), sim.hungCallbacks(), "the work item has not started");
      List<String> waits =
          sim.warnings().stream().filter(w -> w.contains("for the device lock held by")).toList();
      assertEquals(1, waits.size(), sim.warnings().toString());
      assertTrue(waits.getFirst().contains("work item of " + rx), waits.getFirst());
      assertTrue(waits.getFirst().contains("thread " + Thread.currentThread().getName()), waits.getFirst());
    }
    assertTrue(Await.quietly(driver.workItemEntered));
    long started = System.nanoTime();
    watchdog.check(started);
    watchdog.check(started + THRESHOLD); // the run's own time, from when it had the lock
    assertEquals(1, sim.hungCallbacks().size(), sim.hungCallbacks().toString());
    assertEquals("OnInterruptWorkItem", sim.hungCallbacks().getFirst().callback());
  }

  @Test
  void aDispatcherWaitingForAnInterruptLockHeldElsewhereIsReportedWithTheHolder() {
    device(InterruptConfig.builder("rx", driver::queueingIsr).workItem(driver::stuckWorkItem).build());
    device.start();
    Interrupt held = device.getInterrupts().getFirst();
    held.acquireInterruptLock();
    try {
      hardware.interrupt("rx").fire();
      Await.until("the dispatcher waits for the interrupt lock", () -> rx.isrLockWaitNow() != null);
      long since = rx.isrLockWaitNow().sinceNanos();
      watchdog.check(since + THRESHOLD - 1);
      assertEquals(List.of(), lockWaits(), "waiting less than the threshold");
      watchdog.check(since + THRESHOLD);
      watchdog.check(since + 2 * THRESHOLD);
      List<String> waits = lockWaits();
      assertEquals(1, waits.size(), waits.toString());
      String wait = waits.getFirst();
      assertTrue(wait.contains("dispatcher thread " + DeviceNode.dispatcherThreadOf(rx)), wait);
      assertTrue(wait.contains("held by thread " + Thread.currentThread().getName()), wait);
      assertEquals(List.of(), sim.hungCallbacks(), "the ISR has not started");
    } finally {
      held.releaseInterruptLock();
    }
    Await.until("the ISR ran", () -> rx.isrLockWaitNow() == null && rx.getStatistics().isrCalls() == 1);
  }

  private List<String> lockWaits() {
    return sim.warnings().stream().filter(w -> w.contains("for the interrupt lock of")).toList();
  }
  @Test
  void aCallDueForItsReportStaysDueUntilReported() {
    CallbackWatchdog.Watch watch = new CallbackWatchdog.Watch();
    assertEquals(-1, watch.observe(true, 7, 0, THRESHOLD), "first seen");
    assertEquals(-1, watch.observe(true, 7, THRESHOLD - 1, THRESHOLD), "under the threshold");
    assertEquals(THRESHOLD, watch.observe(true, 7, THRESHOLD, THRESHOLD));
    // Not reported (no thread to name at that check): still due at the next one.
    assertEquals(2 * THRESHOLD, watch.observe(true, 7, 2 * THRESHOLD, THRESHOLD));
    watch.reported();
    assertEquals(-1, watch.observe(true, 7, 3 * THRESHOLD, THRESHOLD), "once per call");
    assertEquals(-1, watch.observe(true, 8, 4 * THRESHOLD, THRESHOLD), "another call, first seen");
    assertEquals(THRESHOLD, watch.observe(true, 8, 5 * THRESHOLD, THRESHOLD));
  }
}
