package dev.udriver.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.runtime.sim.SimulatedHardware;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One watchdog thread per dispatcher group: it runs while any device of the group is started, and
 * checks each device at that device's thresholds, reporting to that device's listener only.
 */
class GroupWatchdogTest {

  private static final Duration SHORT = Duration.ofMillis(50);
  private static final Duration LONG = Duration.ofSeconds(60);

  /** Records hung callbacks and the thread each was reported on; other events are dropped. */
  static final class HungListener implements DeviceListener {
    record Report(HungCallback hung, String reportedOn) {}

    final List<Report> reports = new CopyOnWriteArrayList<>();
    final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Consumer<HungCallback> then;

    HungListener() {
      this(hung -> {});
    }

    HungListener(Consumer<HungCallback> then) {
      this.then = then;
    }

    @Override
    public void callbackHung(HungCallback hung) {
      reports.add(new Report(hung, Thread.currentThread().getName()));
      then.accept(hung);
    }

    @Override
    public void warning(String message) {
      warnings.add(message);
    }
  }

  /** Latches that let hung callbacks return, counted down first: a close waits for them. */
  private final List<CountDownLatch> releases = new ArrayList<>();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    releases.forEach(CountDownLatch::countDown);
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private DispatcherGroup group(String name, int dispatchers) {
    DispatcherGroup group = DispatcherGroup.builder(name).dispatchers(dispatchers).build();
    toClose.add(group);
    return group;
  }

  /** A device whose enable and disable threshold is {@link #LONG}. */
  private DeviceNode device(
      DispatcherGroup group, String name, DeviceListener listener, Duration isr, Duration workItem,
      InterruptConfig config, SimulatedHardware hardware) {
    DeviceNode device =
        group.device(name, hardware).listener(listener).watchdog(isr, workItem, LONG).build();
    toClose.add(device);
    device.addDriver(new Object(), TestSupport.wiring(config));
    return device;
  }

  /** A device whose three thresholds are {@code thresholds}. */
  /** A device whose edge "rx" runs an ISR that hangs once until released (after the test at the latest). */
  private record HangingDevice(DeviceNode node, SimulatedHardware hardware) {
    void fire() {
      hardware.interrupt("rx").fire();
    }
  }

  private HangingDevice hangingDevice(
      DispatcherGroup group, String name, DeviceListener listener, WatchdogTest.HangingIsr isr,
      Duration isrThreshold, Duration workItemThreshold) {
    releases.add(isr.release);
    SimulatedHardware hardware = SimulatedHardware.builder().edge("rx").build();
    DeviceNode node =
        device(
            group, name, listener, isrThreshold, workItemThreshold,
            InterruptConfig.builder("rx", isr::hangOnce).build(), hardware);
    return new HangingDevice(node, hardware);
  }

  private DeviceNode claimingDevice(DispatcherGroup group, String name, Duration thresholds) {
    DeviceNode device =
        group
            .device(name, SimulatedHardware.builder().edge("rx").build())
            .listener(new HungListener())
            .watchdog(thresholds, thresholds, thresholds)
            .build();
    toClose.add(device);
    device.addDriver(new Object(), TestSupport.wiring(InterruptConfig.builder("rx", TestSupport.claim()).build()));
    return device;
  }

  @Test
  void threeStartedDevicesOfOneGroupShareOneWatchdogThreadUntilTheLastStops() {
    String name = TestSupport.uniqueName("wdgroup");
    DispatcherGroup group = group(name, 1);
    String watchdog = "udriver-watchdog-" + name;
    assertEquals(watchdog, group.pool().watchdogThreadName());
    List<DeviceNode> devices = new ArrayList<>();
    for (String device : List.of("a", "b", "c")) {
      devices.add(claimingDevice(group, name + "-" + device, SHORT));
    }
    assertEquals(List.of(), TestSupport.liveThreadsNamed(watchdog), "no thread before a start");

    devices.forEach(DeviceNode::start);
    List<Thread> threads = TestSupport.liveThreadsNamed(watchdog);
    assertEquals(1, threads.size(), "one watchdog thread for the group's three started devices");
    for (DeviceNode device : devices) {
      assertEquals(List.of(), TestSupport.liveThreadsNamed("udriver-watchdog-" + device.getName()));
    }

    devices.get(0).stop();
    devices.get(1).close();
    assertEquals(threads, TestSupport.liveThreadsNamed(watchdog), "the third device keeps it");

    devices.get(2).stop();
    TestSupport.join(threads.getFirst()); // no started device left: it ends by itself
    assertEquals(List.of(), TestSupport.liveThreadsNamed(watchdog));

    devices.get(0).start(); // a device starting again starts a thread again
    List<Thread> again = TestSupport.liveThreadsNamed(watchdog);
    assertEquals(1, again.size());
    devices.get(0).close();
    assertEquals(List.of(), TestSupport.liveThreadsNamed(watchdog), "a close waits for it to end");
  }

  @Test
  void aDeviceWithEveryThresholdOffDoesNotKeepTheThread() {
    String name = TestSupport.uniqueName("wdoff");
    DispatcherGroup group = group(name, 1);
    String watchdog = group.pool().watchdogThreadName();
    DeviceNode unwatched = claimingDevice(group, name + "-off", Duration.ZERO);
    DeviceNode watched = claimingDevice(group, name + "-on", SHORT);

    unwatched.start();
    assertEquals(List.of(), TestSupport.liveThreadsNamed(watchdog));
    watched.start();
    List<Thread> threads = TestSupport.liveThreadsNamed(watchdog);
    assertEquals(1, threads.size());
    watched.stop();
    TestSupport.join(threads.getFirst());
    assertTrue(unwatched.isStarted());
    assertEquals(List.of(), TestSupport.liveThreadsNamed(watchdog));
  }

  /**
   * Device a's work item hangs, then device b's ISR hangs the dispatcher both share: the one
   * thread reports each to its own device's listener, with its own device's threshold. a's short
   * ISR threshold does not apply to b's ISR, and a's ISR, held back behind b's, is not running.
   */
  @Test
  void eachDeviceIsReportedToItsOwnListenerWithItsOwnThresholds() throws Exception {
    String name = TestSupport.uniqueName("wdown");
    DispatcherGroup group = group(name, 1);
    String watchdog = group.pool().watchdogThreadName();
    CountDownLatch workItemEntered = new CountDownLatch(1);
    CountDownLatch workItemReturns = new CountDownLatch(1);
    releases.add(workItemReturns);
    HungListener aListener = new HungListener();
    SimulatedHardware aHardware = SimulatedHardware.builder().edge("rx").build();
    Duration aIsr = Duration.ofMillis(20);
    Duration aWorkItem = Duration.ofMillis(100);
    DeviceNode a =
        device(
            group, name + "-a", aListener, aIsr, aWorkItem,
            InterruptConfig.builder("rx", TestSupport.queueWorkItem())
                .workItem(
                    (interrupt, associated) -> {
                      workItemEntered.countDown();
                      TestSupport.awaitQuietly(workItemReturns);
                    })
                .build(),
            aHardware);

    WatchdogTest.HangingIsr bIsr = new WatchdogTest.HangingIsr();
    HungListener bListener = new HungListener();
    Duration bIsrThreshold = Duration.ofMillis(150);
    HangingDevice b =
        hangingDevice(group, name + "-b", bListener, bIsr, bIsrThreshold, Duration.ofSeconds(10));
    a.start();
    b.node().start();
    Interrupt aRx = a.getInterrupts().getFirst();
    Interrupt bRx = b.node().getInterrupts().getFirst();

    aHardware.interrupt("rx").fire();
    TestSupport.await(workItemEntered);
    TestSupport.await("a's hung work item reported", () -> !aListener.reports.isEmpty());
    HungCallback aHung = aListener.reports.getFirst().hung();
    assertEquals(aRx, aHung.interrupt());
    assertEquals("OnInterruptWorkItem", aHung.callback());
    assertEquals(aWorkItem, aHung.threshold());
    assertTrue(aHung.runningFor().compareTo(aWorkItem) >= 0, aHung.toString());

    b.fire();
    TestSupport.await(bIsr.entered);
    aHardware.interrupt("rx").fire(); // waits behind b's ISR on the shared dispatcher
    TestSupport.await("b's hung ISR reported", () -> !bListener.reports.isEmpty());
    HungCallback bHung = bListener.reports.getFirst().hung();
    assertEquals(bRx, bHung.interrupt());
    assertEquals("OnInterruptIsr", bHung.callback());
    assertEquals(bIsrThreshold, bHung.threshold());
    assertTrue(bHung.runningFor().compareTo(bIsrThreshold) >= 0, bHung.toString());
    assertEquals(DeviceNode.dispatcherThreadOf(bRx), bHung.thread());
    // A few more of a's checks (every 5 ms) while b's ISR still hangs: nothing of b's goes to a.
    Thread.sleep(4 * aIsr.toMillis());

    assertEquals(1, aListener.reports.size(), aListener.reports.toString());
    assertEquals(1, bListener.reports.size(), bListener.reports.toString());
    assertEquals(watchdog, aListener.reports.getFirst().reportedOn());
    assertEquals(watchdog, bListener.reports.getFirst().reportedOn());
    bIsr.release.countDown();
    workItemReturns.countDown();
  }

  /**
   * b's listener closes b from its report, on the group's watchdog thread: the close neither waits
   * for that thread nor ends it, as a still runs, and a's hung ISR is reported after it.
   */
  @Test
  void aListenerClosingItsDeviceFromAReportLeavesTheOtherDevicesWatched() {
    String name = TestSupport.uniqueName("wdself");
    DispatcherGroup group = group(name, 2); // a and b on dispatchers of their own
    String watchdog = group.pool().watchdogThreadName();
    WatchdogTest.HangingIsr aIsr = new WatchdogTest.HangingIsr();
    HungListener aListener = new HungListener();
    HangingDevice a = hangingDevice(group, name + "-a", aListener, aIsr, SHORT, SHORT);

    WatchdogTest.HangingIsr bIsr = new WatchdogTest.HangingIsr();
    CountDownLatch bClosed = new CountDownLatch(1);
    List<DeviceNode> self = new CopyOnWriteArrayList<>();
    HungListener bListener =
        new HungListener(
            hung -> {
              bIsr.release.countDown(); // the stop waits for the ISR to return
              self.getFirst().close();
              bClosed.countDown();
            });
    HangingDevice b = hangingDevice(group, name + "-b", bListener, bIsr, SHORT, SHORT);
    self.add(b.node());
    a.node().start();
    b.node().start();
    List<Thread> threads = TestSupport.liveThreadsNamed(watchdog);
    assertEquals(1, threads.size());

    b.fire();
    TestSupport.await(bClosed);
    assertFalse(b.node().isStarted());
    assertEquals(threads, TestSupport.liveThreadsNamed(watchdog), "a keeps the thread");

    a.fire();
    TestSupport.await(aIsr.entered);
    TestSupport.await("a's hung ISR reported", () -> !aListener.reports.isEmpty());
    assertEquals(watchdog, aListener.reports.getFirst().reportedOn());
    assertEquals(1, bListener.reports.size(), bListener.reports.toString());
    aIsr.release.countDown();
    a.node().stop();
    TestSupport.join(threads.getFirst());
    assertEquals(List.of(), TestSupport.liveThreadsNamed(watchdog));
  }
  /**
   * A device with short thresholds beside one checked every 250 ms: its hung ISR is reported at its
   * own period (5 ms), not the slower device's. At the slower period the report could not come
   * before the call had been seen running for 250 ms.
   */
  @Test
  void aDeviceIsCheckedAtItsOwnPeriodBesideASlowerOne() {
    String name = TestSupport.uniqueName("wdperiod");
    DispatcherGroup group = group(name, 2);
    claimingDevice(group, name + "-slow", LONG).start(); // first: the thread sleeps 250 ms at a time
    WatchdogTest.HangingIsr isr = new WatchdogTest.HangingIsr();
    HungListener listener = new HungListener();
    Duration threshold = Duration.ofMillis(20);
    HangingDevice fast = hangingDevice(group, name + "-fast", listener, isr, threshold, threshold);
    fast.node().start();
    fast.fire();
    TestSupport.await(isr.entered);
    TestSupport.await("the hung ISR reported", () -> !listener.reports.isEmpty());
    HungCallback hung = listener.reports.getFirst().hung();
    assertEquals(threshold, hung.threshold());
    assertTrue(hung.runningFor().compareTo(threshold) >= 0, hung.toString());
    assertTrue(hung.runningFor().compareTo(Duration.ofMillis(250)) < 0, hung.toString());
  }

  /**
   * b is closed on another thread while its listener is in a report: the close returns once the
   * report does (no report of b after its close), and a, still started, keeps the thread.
   */
  @Test
  void aDeviceClosedWhileItsReportIsDeliveredWaitsForTheReportOnly() throws Exception {
    String name = TestSupport.uniqueName("wdclosing");
    DispatcherGroup group = group(name, 2);
    String watchdog = group.pool().watchdogThreadName();
    DeviceNode a = claimingDevice(group, name + "-a", SHORT);
    WatchdogTest.HangingIsr bIsr = new WatchdogTest.HangingIsr();
    CountDownLatch inReport = new CountDownLatch(1);
    CountDownLatch reportReturns = new CountDownLatch(1);
    releases.add(reportReturns);
    HungListener bListener =
        new HungListener(
            hung -> {
              inReport.countDown();
              TestSupport.awaitQuietly(reportReturns);
            });
    HangingDevice b = hangingDevice(group, name + "-b", bListener, bIsr, SHORT, SHORT);
    a.start();
    b.node().start();
    List<Thread> threads = TestSupport.liveThreadsNamed(watchdog);
    assertEquals(1, threads.size());

    b.fire();
    TestSupport.await(inReport);
    bIsr.release.countDown(); // the stop waits for the ISR, the close for the report
    Thread closer = Thread.ofPlatform().name("closer").start(b.node()::close);
    TestSupport.await("b stopped", () -> !b.node().isStarted());
    closer.join(200);
    assertTrue(closer.isAlive(), "the close returned while b's report was still being delivered");
    reportReturns.countDown();
    TestSupport.join(closer);
    assertEquals(1, bListener.reports.size(), bListener.reports.toString());
    assertTrue(a.isStarted());
    assertEquals(threads, TestSupport.liveThreadsNamed(watchdog), "a keeps the thread");
  }
}
