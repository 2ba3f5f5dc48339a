package dev.udriver.samples;

import dev.udriver.runtime.DeviceListener;
import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.Interrupt;
import dev.udriver.runtime.InterruptStatistics;
import dev.udriver.runtime.VerifierFinding;
import dev.udriver.runtime.sim.SimulatedHardware;
import dev.udriver.samples.uart.SimulatedUart;
import dev.udriver.samples.uart.UartDriver;
import dev.udriver.samples.uart.UartRegisters;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * The demo: the sample UART driver on a simulated device. A sender thread puts a burst of frames
 * on the wire, each byte raising an edge-triggered interrupt; the driver's ISR and work item
 * receive them; the demo checks every byte arrived intact and prints what the runtime did.
 *
 * <p>Arguments: {@code [--frames N] [--frame-size N]}; {@code --linux} runs {@link
 * dev.udriver.samples.linux.LinuxDemo} on real Linux interrupt sources instead.
 */
public final class Demo {

  private final int frames;
  private final int frameSize;
  private final PrintStream out;

  Demo(int frames, int frameSize, PrintStream out) {
    this.frames = frames;
    this.frameSize = frameSize;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    if (java.util.Arrays.asList(args).contains("--linux")) {
      dev.udriver.samples.linux.LinuxDemo.main(args); // real Linux interrupt sources
      return;
    }
    int frames = 20_000;
    int frameSize = 16;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--frames" -> frames = Integer.parseInt(args[++i]);
        case "--frame-size" -> frameSize = Integer.parseInt(args[++i]);
        default -> {
          System.err.println("usage: Demo [--frames N] [--frame-size N] | --linux [LinuxDemo options]");
          System.exit(2);
        }
      }
    }
    Summary summary = new Demo(frames, frameSize, System.out).run();
    System.exit(summary.intact() ? 0 : 1);
  }

  /** What one run observed. */
  record Summary(
      long bytesSent,
      long bytesReceived,
      long crcSent,
      long crcReceived,
      long throttles,
      InterruptStatistics statistics,
      int interruptEnableAfterStart,
      int interruptEnableAfterStop,
      int failures,
      int lockFindings,
      long isrOverBudgetReported,
      long nanos) {

    /**
     * Every ISR call over the budget: the verifier reports the first and then each 2^k-th (a slow
     * ISR would flood the listener) and counts every one in the statistics, where the lock and
     * context findings, all reported, are counted too.
     */
    long isrOverBudget() {
      return statistics.verifierFindings() - lockFindings;
    }

    boolean intact() {
      return bytesSent == bytesReceived
          && crcSent == crcReceived
          && failures == 0
          && lockFindings == 0
          && interruptEnableAfterStart == UartRegisters.INT_RX
          && interruptEnableAfterStop == 0;
    }
  }

  Summary run() throws InterruptedException {
    SimulatedHardware hardware = SimulatedHardware.builder().edge("rx").build();
    SimulatedUart uart = new SimulatedUart(hardware.interrupt("rx"));

    long totalBytes = (long) frames * frameSize;
    CRC32 receivedCrc = new CRC32();
    AtomicLong received = new AtomicLong();
    CountDownLatch allReceived = new CountDownLatch(1);
    UartDriver driver =
        new UartDriver(
            uart.registers(),
            (bytes, length) -> {
              receivedCrc.update(bytes, 0, length); // work-item thread only
              if (received.addAndGet(length) == totalBytes) {
                allReceived.countDown();
              }
            });

    AtomicInteger failures = new AtomicInteger();
    AtomicInteger lockFindings = new AtomicInteger();
    AtomicLong isrOverBudgetReported = new AtomicLong();
    DeviceListener listener =
        new DeviceListener() {
          @Override
          public void callbackFailed(Interrupt interrupt, String callback, Throwable failure) {
            failures.incrementAndGet();
            DeviceListener.LOGGING.callbackFailed(interrupt, callback, failure);
          }

          @Override
          public void verifierFinding(VerifierFinding finding) {
            // A simulated UART on a shared machine overruns a 25 µs budget now and then; that is
            // counted and shown. Lock and context findings are driver bugs: they fail the demo.
            if (finding.rule().equals(VerifierFinding.ISR_OVER_BUDGET)) {
              isrOverBudgetReported.incrementAndGet();
            } else {
              lockFindings.incrementAndGet();
              DeviceListener.LOGGING.verifierFinding(finding);
            }
          }
        };

    CRC32 sentCrc = new CRC32();
    Summary summary;
    try (DeviceNode device =
        DeviceNode.builder("uart0", hardware).listener(listener).verifier(true).build()) {
      device.addDriver(driver);
      Interrupt rx = device.getInterrupts().getFirst();
      device.start();
      int enabledAfterStart = uart.registers().peek(UartRegisters.INT_ENABLE);

      long start = System.nanoTime();
      Thread sender = Thread.ofPlatform().name("uart-wire").start(() -> send(uart, sentCrc));
      sender.join();
      boolean complete = allReceived.await(30, TimeUnit.SECONDS);
      long nanos = System.nanoTime() - start;

      device.stop();
      int enabledAfterStop = uart.registers().peek(UartRegisters.INT_ENABLE);
      if (!complete) {
        out.println("timed out: " + received.get() + " of " + totalBytes + " bytes arrived");
      }
      summary =
          new Summary(
              totalBytes, received.get(), sentCrc.getValue(), receivedCrc.getValue(),
              driver.throttles(), rx.getStatistics(), enabledAfterStart, enabledAfterStop,
              failures.get(), lockFindings.get(), isrOverBudgetReported.get(), nanos);
    }
    print(summary);
    return summary;
  }

  private void send(SimulatedUart uart, CRC32 crc) {
    byte[] frame = new byte[frameSize];
    try {
      for (int f = 0; f < frames; f++) {
        for (int i = 0; i < frameSize; i++) {
          frame[i] = (byte) (f * 31 + i);
          uart.receive(frame[i]);
        }
        crc.update(frame);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void print(Summary s) {
    InterruptStatistics st = s.statistics();
    double seconds = s.nanos() / 1e9;
    out.println("udriver demo: UART receive driver on a simulated device");
    out.println(row("device", "uart0, one edge-triggered line, FIFO depth " + SimulatedUart.FIFO_DEPTH));
    out.println(row("sent", n(s.bytesSent()) + " bytes in " + n(frames) + " frames of " + frameSize));
    out.println(row("interrupts",
        "fired " + n(st.signals()) + " · ISR calls " + n(st.isrCalls()) + " · claimed "
            + n(st.claimed()) + " · coalesced " + n(st.coalesced())));
    out.println(row("work items",
        "queued " + n(st.workItemsQueued()) + " · coalesced " + n(st.workItemsCoalesced())
            + " · run " + n(st.workItemsRun())));
    out.println(row("received",
        n(s.bytesReceived()) + " bytes · CRC-32 " + (s.crcSent() == s.crcReceived() ? "matches" : "DIFFERS")
            + String.format(Locale.ROOT, " (%08x)", s.crcReceived()) + " · ISR throttled " + n(s.throttles()) + "×"));
    out.println(row("callbacks",
        "INT_ENABLE after start 0x" + Integer.toHexString(s.interruptEnableAfterStart())
            + " · after stop 0x" + Integer.toHexString(s.interruptEnableAfterStop())
            + " · failures " + s.failures()));
    out.println(row("verifier",
        "lock and context findings " + s.lockFindings() + " · ISR calls over the 25 µs budget "
            + n(s.isrOverBudget()) + " (" + n(s.isrOverBudgetReported()) + " reported)"));
    out.println(row("time", String.format(Locale.ROOT, "%.3f s (%s bytes/s)", seconds,
        n((long) (s.bytesReceived() / Math.max(seconds, 1e-9))))));
    out.println(s.intact() ? "result      OK: every byte arrived intact" : "result      FAILED");
  }

  private static String row(String label, String value) {
    return String.format(Locale.ROOT, "%-11s %s", label, value);
  }

  private static String n(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }
}
