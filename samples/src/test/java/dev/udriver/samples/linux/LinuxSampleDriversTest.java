package dev.udriver.samples.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.Interrupt;
import dev.udriver.runtime.InterruptStatistics;
import dev.udriver.runtime.linux.EventFdHardware;
import dev.udriver.runtime.linux.GpioStandIn;
import dev.udriver.runtime.linux.LinuxInterrupts;
import dev.udriver.runtime.linux.TimerFdHardware;
import dev.udriver.runtime.linux.UioStandIn;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Linux sample drivers, compiled through the processor, on real sources and stand-ins. */
class LinuxSampleDriversTest {

  @BeforeEach
  void linuxOnly() {
    assumeTrue(LinuxInterrupts.isAvailable(), () -> "no Linux: " + LinuxInterrupts.unavailabilityCause());
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting until " + what);
      }
      LockSupport.parkNanos(200_000);
    }
  }

  private static boolean accounted(InterruptStatistics s) {
    return s.signals() == s.isrCalls() + s.coalesced() + s.dropped();
  }

  private static void assertAccounted(Interrupt interrupt) {
    InterruptStatistics s = interrupt.getStatistics();
    assertEquals(s.signals(), s.isrCalls() + s.coalesced() + s.dropped(), s.toString());
    assertEquals(0, s.callbackFailures(), s.toString());
  }

  @Test
  void periodicTimerDriverTicksOnATimerfd() throws Exception {
    PeriodicTimerDriver driver = new PeriodicTimerDriver();
    try (TimerFdHardware timer = TimerFdHardware.builder().periodic("tick", Duration.ofMillis(2)).build();
        DeviceNode device = DeviceNode.create("timer-test", timer)) {
      device.addDriver(driver);
      device.start();
      await("20 ticks", () -> driver.ticks() >= 20);
      await("work item ran", () -> driver.processed() >= 1);
      device.stop();
      Interrupt tick = device.getInterrupts().getFirst();
      assertAccounted(tick);
      InterruptStatistics s = tick.getStatistics();
      // Every expiration the ISR served is a tick, overruns included; none was counted twice.
      assertEquals(s.signals() - s.dropped(), driver.ticks(), s.toString());
      assertEquals(s.isrCalls(), driver.isrCalls(), s.toString());
    }
  }

  @Test
  void msiDoorbellDriverCompletesEveryDoorbell() throws Exception {
    int messages = 3;
    MsiDoorbellDriver driver = new MsiDoorbellDriver(messages);
    try (EventFdHardware msi = EventFdHardware.builder().messages(MsiDoorbellDriver.QUEUES, messages).build();
        DeviceNode device = DeviceNode.create("msi-test", msi)) {
      device.addDriver(driver);
      device.start();
      for (int i = 0; i < 30_000; i++) {
        msi.signal(MsiDoorbellDriver.QUEUES, i % messages);
      }
      List<Interrupt> interrupts = device.getInterrupts(MsiDoorbellDriver.QUEUES);
      for (int m = 0; m < messages; m++) {
        Interrupt interrupt = interrupts.get(m);
        int message = m;
        await("message " + m, () -> interrupt.getStatistics().signals() == 10_000);
        // Signals are counted when the dispatcher takes them, the call once its ISR returns.
        await("message " + m + " served", () -> accounted(interrupt.getStatistics()));
        await("completed " + m,
            () -> driver.completed(message) == interrupt.getStatistics().isrCalls());
        assertAccounted(interrupt);
      }
    }
  }

  @Test
  void gpioButtonDriverCountsPressesFromKernelEventRecords() throws Exception {
    record Report(long presses, long last, long missed) {}
    List<Report> reports = new CopyOnWriteArrayList<>();
    try (GpioStandIn line = GpioStandIn.create("button", 17);
        DeviceNode device = DeviceNode.create("button-test", line.hardware())) {
      GpioButtonDriver driver =
          new GpioButtonDriver(
              line.hardware().events("button"),
              (presses, last, missed) -> reports.add(new Report(presses, last, missed)));
      device.addDriver(driver);
      device.start();
      Interrupt interrupt = device.getInterrupts().getFirst();
      line.edge(17, false, 1_000_000); // press
      line.edge(17, true, 2_000_000); // release
      line.dropOldest(2, 17); // a press and release the kernel FIFO lost
      line.edge(17, false, 9_000_000); // press
      await("two presses", () -> driver.totalPresses() == 2);
      await("reported", () -> reports.stream().mapToLong(Report::presses).sum() == 2);
      Report lastReport = reports.getLast();
      assertEquals(9_000_000, lastReport.last());
      assertEquals(2, lastReport.missed());
      assertAccounted(interrupt);
    }
  }

  @Test
  void uioCounterDriverOverTheUioProtocolStandIn() throws Exception {
    try (UioStandIn uio = UioStandIn.create(4096);
        DeviceNode device = DeviceNode.create("uio-test", uio.hardware())) {
      UioCounterDriver driver = new UioCounterDriver(uio.registers());
      device.addDriver(driver);
      device.start();
      assertEquals(UioCounterDriver.PENDING, uio.registers().read32(UioCounterDriver.INT_ENABLE));
      for (int value = 1; value <= 20; value++) {
        int expected = value;
        await("re-armed before event " + value, uio::enabled);
        uio.registers().write32(UioCounterDriver.DATA, value);
        uio.registers().write32(UioCounterDriver.STATUS, UioCounterDriver.PENDING);
        uio.raise();
        await("published " + value, () -> driver.published() == expected);
      }
      device.stop();
      assertEquals(0, uio.registers().read32(UioCounterDriver.INT_ENABLE));
      assertEquals(0, uio.controlWrites().getLast(), "the UIO interrupt was disabled");
      assertEquals(20, device.getInterrupts().getFirst().getStatistics().claimed());
      assertAccounted(device.getInterrupts().getFirst());
    }
  }

  @Test
  void linuxDemoRunsOnRealSources() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int status = new LinuxDemo(out).run(0.3, 20_000, null, null);
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, printed);
    assertTrue(printed.contains("all interrupts accounted for"), printed);
    // Every overrun counted, at least as many as the verifier reported (the first and each 2^k-th).
    Matcher verifier =
        Pattern.compile("ISR calls over the 25 us budget (\\d+) \\((\\d+) reported\\)").matcher(printed);
    assertTrue(verifier.find(), printed);
    assertTrue(Long.parseLong(verifier.group(1)) >= Long.parseLong(verifier.group(2)), printed);
  }
}
