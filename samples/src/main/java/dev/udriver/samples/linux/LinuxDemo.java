package dev.udriver.samples.linux;

import dev.udriver.runtime.DeviceListener;
import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.hardware.DeviceHardware;
import dev.udriver.runtime.Interrupt;
import dev.udriver.runtime.InterruptStatistics;
import dev.udriver.runtime.VerifierFinding;
import dev.udriver.runtime.linux.EventFdHardware;
import dev.udriver.runtime.linux.GpioHardware;
import dev.udriver.runtime.linux.LinuxInterfaceException;
import dev.udriver.runtime.linux.LinuxInterrupts;
import dev.udriver.runtime.linux.TimerFdHardware;
import dev.udriver.runtime.linux.UioHardware;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The demo on real Linux interrupt sources: a 1 ms timerfd drives the periodic timer driver and a
 * thread rings the four eventfd doorbells of the MSI-style device while both run; optionally a
 * GPIO button on a real chip and a UIO device. Each device's statistics are printed and checked
 * (every signal is an ISR call, a coalesced or a dropped signal).
 *
 * <p>Arguments: {@code [--seconds N] [--doorbells N] [--gpio /dev/gpiochipN:LINE] [--uio /dev/uioN]}.
 * Exit status 0 when everything added up, 1 when not, 3 when Linux sources are unavailable (the
 * message names what is missing).
 */
public final class LinuxDemo {

  private final PrintStream out;
  /** Lock and context findings: driver bugs, they fail the demo. */
  private final AtomicLong ruleFindings = new AtomicLong();
  /**
   * ISR-over-budget reports: the verifier reports the first overrun of an interrupt and then each
   * 2^k-th (a slow ISR would flood the listener); shown beside the overruns themselves.
   */
  private final AtomicLong isrOverBudgetReported = new AtomicLong();
  /**
   * Every finding of the devices' interrupts, from their statistics, which count each overrun: less
   * the rule findings (all reported), the ISR calls over the budget (a shared machine overruns now
   * and then).
   */
  private long verifierFindings;
  private final DeviceListener listener =
      new DeviceListener() {
        @Override
        public void verifierFinding(VerifierFinding finding) {
          if (finding.rule().equals(VerifierFinding.ISR_OVER_BUDGET)) {
            isrOverBudgetReported.incrementAndGet();
          } else {
            ruleFindings.incrementAndGet();
            DeviceListener.LOGGING.verifierFinding(finding);
          }
        }
      };

  LinuxDemo(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    double seconds = 2;
    long doorbells = 200_000;
    String gpio = null;
    String uio = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seconds" -> seconds = Double.parseDouble(args[++i]);
        case "--doorbells" -> doorbells = Long.parseLong(args[++i]);
        case "--gpio" -> gpio = args[++i];
        case "--uio" -> uio = args[++i];
        case "", "--linux" -> { } // empty from Maven; --linux when Demo forwards its arguments
        default -> {
          System.err.println(
              "usage: LinuxDemo [--seconds N] [--doorbells N] [--gpio /dev/gpiochipN:LINE]"
                  + " [--uio /dev/uioN]");
          System.exit(2);
        }
      }
    }
    System.exit(new LinuxDemo(System.out).run(seconds, doorbells, gpio, uio));
  }

  /** Runs the demo; the exit status. */
  int run(double seconds, long doorbells, String gpio, String uio) throws InterruptedException {
    if (!LinuxInterrupts.isAvailable()) {
      out.println("Linux interrupt sources are unavailable: " + LinuxInterrupts.unavailabilityCause());
      out.println("(the simulated demo still runs: dev.udriver.samples.Demo)");
      return 3;
    }
    boolean ok;
    try {
      ok = timerAndDoorbells(seconds, doorbells);
      if (gpio != null) {
        ok &= button(gpio, seconds);
      }
      if (uio != null) {
        ok &= uioCounter(uio, seconds);
      }
    } catch (LinuxInterfaceException e) {
      out.println("cannot use a Linux source: " + e.getMessage());
      return 3;
    }
    out.printf(
        Locale.ROOT,
        "verifier: lock and context findings %d, ISR calls over the 25 us budget %d (%d reported)%n",
        ruleFindings.get(), verifierFindings - ruleFindings.get(), isrOverBudgetReported.get());
    ok &= ruleFindings.get() == 0;
    out.println(ok ? "all interrupts accounted for" : "MISMATCH");
    return ok ? 0 : 1;
  }

  private boolean timerAndDoorbells(double seconds, long doorbells) throws InterruptedException {
    int messages = 4;
    PeriodicTimerDriver timerDriver = new PeriodicTimerDriver();
    MsiDoorbellDriver doorbellDriver = new MsiDoorbellDriver(messages);
    try (TimerFdHardware timer =
            TimerFdHardware.builder().periodic("tick", Duration.ofMillis(1)).build();
        EventFdHardware msi = EventFdHardware.builder().messages(MsiDoorbellDriver.QUEUES, messages).build();
        DeviceNode timerDevice = verified("timer0", timer);
        DeviceNode nic = verified("nic0", msi)) {
      timerDevice.addDriver(timerDriver);
      nic.addDriver(doorbellDriver);
      timerDevice.start();
      nic.start();
      long started = System.nanoTime();
      long end = started + (long) (seconds * 1e9);
      Thread ringer =
          Thread.ofPlatform()
              .name("doorbell-ringer")
              .start(
                  () -> {
                    long pause = Math.max(1, (long) (seconds * 1e9 / Math.max(1, doorbells)));
                    for (long i = 0; i < doorbells; i++) {
                      msi.signal(MsiDoorbellDriver.QUEUES, (int) (i % messages));
                      if ((i & 15) == 0) {
                        LockSupport.parkNanos(pause * 16);
                      }
                    }
                  });
      ringer.join();
      while (System.nanoTime() < end) {
        Thread.sleep(10);
      }
      timerDevice.stop();
      double ran = (System.nanoTime() - started) / 1e9;
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (signals(nic) < doorbells && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      nic.stop();
      out.printf(
          Locale.ROOT,
          "timer0: %d ticks in %.1f s, %d work-item runs, largest gap between ISRs %.1f us%n",
          timerDriver.ticks(), ran, timerDriver.processed(),
          timerDriver.largestGapNanos() / 1e3);
      boolean ok = report(timerDevice);
      long completed = 0;
      for (int m = 0; m < messages; m++) {
        completed += doorbellDriver.completed(m);
      }
      out.printf(Locale.ROOT, "nic0: %d doorbells rung, %d ISR calls completed%n", doorbells, completed);
      ok &= report(nic);
      ok &= signals(nic) == doorbells;
      return ok;
    }
  }

  private boolean button(String spec, double seconds) throws InterruptedException {
    int colon = spec.lastIndexOf(':');
    String chip = spec.substring(0, colon);
    int line = Integer.parseInt(spec.substring(colon + 1));
    try (GpioHardware gpio =
            GpioHardware.builder(chip)
                .line("button", line, GpioHardware.Edge.BOTH, GpioHardware.Bias.PULL_UP,
                    Duration.ofMillis(5))
                .build();
        DeviceNode device = verified("button", gpio)) {
      GpioButtonDriver driver =
          new GpioButtonDriver(
              gpio.events("button"),
              (presses, last, missed) ->
                  out.printf(Locale.ROOT, "button: %d press(es), %d edge(s) missed%n", presses, missed));
      device.addDriver(driver);
      device.start();
      out.printf(Locale.ROOT, "button: press the button on %s line %d within %.0f s%n", chip, line, seconds);
      Thread.sleep((long) (seconds * 1000));
      device.stop();
      return report(device);
    }
  }

  private boolean uioCounter(String node, double seconds) throws InterruptedException {
    try (UioHardware hardware = UioHardware.open(node);
        DeviceNode device = verified("uio", hardware)) {
      UioCounterDriver driver = new UioCounterDriver(hardware.registers(0));
      device.addDriver(driver);
      device.start();
      Thread.sleep((long) (seconds * 1000));
      device.stop();
      out.printf(Locale.ROOT, "uio: last counter value %d%n", driver.published());
      return report(device);
    }
  }

  /** A device with the verifier on, as in the simulated demo: the demo shows drivers done right. */
  private DeviceNode verified(String name, DeviceHardware hardware) {
    return DeviceNode.builder(name, hardware).listener(listener).verifier(true).build();
  }

  private long signals(DeviceNode device) {
    long total = 0;
    for (Interrupt interrupt : device.getInterrupts()) {
      total += interrupt.getStatistics().signals();
    }
    return total;
  }

  private boolean report(DeviceNode device) {
    boolean ok = true;
    for (Interrupt interrupt : device.getInterrupts()) {
      InterruptStatistics s = interrupt.getStatistics();
      verifierFindings += s.verifierFindings();
      boolean accounted = s.signals() == s.isrCalls() + s.coalesced() + s.dropped();
      ok &= accounted && s.callbackFailures() == 0;
      out.printf(
          Locale.ROOT,
          "  %-16s signals %8d = ISR %8d + coalesced %8d + dropped %d; work items %d; failures %d%s%n",
          interrupt, s.signals(), s.isrCalls(), s.coalesced(), s.dropped(), s.workItemsRun(),
          s.callbackFailures(), accounted ? "" : "  MISMATCH");
    }
    return ok;
  }
}
