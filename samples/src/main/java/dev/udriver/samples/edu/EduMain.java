package dev.udriver.samples.edu;

import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.Interrupt;
import dev.udriver.runtime.InterruptStatistics;
import dev.udriver.runtime.hardware.DeviceHardware;
import dev.udriver.runtime.linux.LinuxInterfaceException;
import dev.udriver.runtime.linux.LinuxInterrupts;
import dev.udriver.runtime.linux.MmioRegisters;
import dev.udriver.runtime.linux.PciDevice;
import dev.udriver.runtime.linux.UioHardware;
import dev.udriver.runtime.linux.VfioHardware;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs {@link EduDriver} under udriver on a real edu device (QEMU {@code -device edu}, PCI
 * 1234:11e8) bound to {@code uio_pci_generic} or {@code vfio-pci}, and checks every interrupt.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp CLASSPATH dev.udriver.samples.edu.EduMain \
 *     [--device 1234:11e8 | --device 0000:00:02.0] [--via uio | vfio-msi | vfio-intx[,...]] \
 *     [--raises N] [--factorials N] [--cycles N] [--warmup N]
 * </pre>
 *
 * For each way in ({@code --via}, comma-separated; default {@code uio}) it opens the device, adds
 * the driver and runs {@code --cycles} start/stop cycles; in each it raises interrupts one at a
 * time through the raise register (each must be claimed once, with its value), computes
 * factorials one at a time and then a queued batch (each must complete with its interrupt and the
 * right 32-bit n!), and checks that no interrupt arrives while idle or stopped. With {@code
 * --warmup N}, a first cycle of N raises and {@code --factorials} factorials comes before them,
 * checked and counted like the others but left out of the latencies: until the JIT has compiled
 * the interrupt path, the latencies measure the interpreter and the compiler. It prints {@code
 * RESULT} lines: {@code udriver-<via>} (raise register written until the ISR claims it), {@code
 * udriver-<via>-completion} (written until the application sees the work item complete it) and
 * {@code udriver-<via>-factorial}. Exit status 0 when all pass, 1 when not, 3 when the device,
 * the binding or a permission is missing (the message says which and how to fix it).
 */
public final class EduMain {

  private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);
  private static final int IDLE_MILLIS = 30;

  private final PrintStream out;
  private final int raises;
  private final int factorials;
  private final int cycles;
  private final int warmup;
  /** Raises so far on this way in; each raise's value derives from it. */
  private int raiseIndex;

  EduMain(PrintStream out, int raises, int factorials, int cycles, int warmup) {
    this.out = out;
    this.raises = raises;
    this.factorials = factorials;
    this.cycles = cycles;
    this.warmup = warmup;
  }

  public static void main(String[] args) throws Exception {
    String device = "1234:11e8";
    String via = "uio";
    int raises = 5_000;
    int factorials = 1_000;
    int cycles = 3;
    int warmup = 0;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--device" -> device = args[++i];
        case "--via" -> via = args[++i];
        case "--raises" -> raises = Integer.parseInt(args[++i]);
        case "--factorials" -> factorials = Integer.parseInt(args[++i]);
        case "--cycles" -> cycles = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        default -> {
          System.err.println(
              "usage: EduMain [--device VVVV:DDDD|DOMAIN:BUS:SLOT.FN] [--via uio|vfio-msi|vfio-intx[,...]]"
                  + " [--raises N] [--factorials N] [--cycles N] [--warmup N]");
          System.exit(2);
        }
      }
    }
    if (!LinuxInterrupts.isAvailable()) {
      System.out.println("Linux interrupt sources are unavailable: " + LinuxInterrupts.unavailabilityCause());
      System.exit(3);
    }
    EduMain main = new EduMain(System.out, raises, factorials, Math.max(1, cycles), Math.max(0, warmup));
    boolean ok = true;
    try {
      PciDevice pci = PciDevice.find(device);
      for (String way : via.split(",")) {
        ok &= main.run(pci, way.trim());
      }
    } catch (LinuxInterfaceException e) {
      System.out.println("cannot use the device: " + e.getMessage());
      System.exit(3);
    }
    System.out.println(ok ? "edu: every interrupt accounted for" : "edu: MISMATCH");
    System.exit(ok ? 0 : 1);
  }

  /** The device opened one way: its hardware, BAR0, a line about how interrupts arrive. */
  private record Opened(DeviceHardware hardware, MmioRegisters bar, String info, Runnable closer)
      implements AutoCloseable {
    @Override
    public void close() {
      closer.run();
    }
  }

  /** Opens {@code pci} the way {@code via} says. */
  private static Opened open(PciDevice pci, String via) {
    return switch (via) {
      case "uio" -> {
        UioHardware uio = UioHardware.openPci(pci);
        yield new Opened(uio, uio.bar(0), "re-arm: " + uio.source().rearmMethod(), uio::close);
      }
      case "vfio-msi", "vfio-intx" -> {
        VfioHardware vfio =
            VfioHardware.open(
                pci, via.equals("vfio-msi") ? VfioHardware.Irq.MSI : VfioHardware.Irq.INTX, "irq", 1);
        if (vfio.vectors() == 0) {
          vfio.close();
          throw new LinuxInterfaceException(
              LinuxInterfaceException.Missing.KERNEL_INTERFACE, pci + " offers no " + vfio.irq() + " vector");
        }
        yield new Opened(vfio, vfio.bar(0), vfio.irq() + " vectors: " + vfio.vectors(), vfio::close);
      }
      default -> throw new IllegalArgumentException("--via uio, vfio-msi or vfio-intx: " + via);
    };
  }

  /** One way in: cycles of start, raise loop, factorial loop, idle checks, stop; the warm-up first. */
  boolean run(PciDevice pci, String via) throws InterruptedException {
    try (Opened opened = open(pci, via);
        DeviceNode node = DeviceNode.create("edu-" + via, opened.hardware())) {
      DeviceHardware hardware = opened.hardware();
      Registers32 registers = Registers32.of(opened.bar());
      int id = registers.read32(EduDriver.ID);
      registers.write32(EduDriver.LIVENESS, 0x1234_5678);
      boolean live = registers.read32(EduDriver.LIVENESS) == ~0x1234_5678;
      out.printf(Locale.ROOT, "INFO via=%s device=%s id=0x%08x liveness=%s %s%n",
          via, pci, id, live ? "ok" : "BAD", opened.info());
      if ((id & 0xffff) != 0x00ed || !live) {
        out.println("not an edu device");
        return false;
      }
      EduDriver driver = new EduDriver(registers);
      node.addDriver(driver);

      String test = "udriver-" + via;
      EduTally isr = new EduTally(test, raises * cycles);
      EduTally completion = new EduTally(test + "-completion", raises * cycles);
      EduTally factorial = new EduTally(test + "-factorial", factorials * cycles);
      raiseIndex = 0;
      if (warmup > 0) {
        out.printf(Locale.ROOT, "INFO via=%s warmup raises=%d factorials=%d%n", via, warmup, factorials);
        isr.warmUp();
        completion.warmUp();
        factorial.warmUp();
      }
      for (int cycle = warmup > 0 ? -1 : 0; cycle < cycles; cycle++) {
        boolean warming = cycle < 0;
        node.start();
        if (via.equals("vfio-msi") && raiseIndex == 0) {
          out.printf(Locale.ROOT, "INFO pci_command=0x%04x (bus master %s)%n",
              ((VfioHardware) hardware).pciCommand(),
              (((VfioHardware) hardware).pciCommand() & 0x4) != 0 ? "on" : "OFF");
        }
        long idle = idleInterrupts(driver);
        isr.idleEvents += idle;
        long t0 = System.nanoTime();
        boolean going = raiseLoop(driver, warming ? warmup : raises, isr, completion,
            () -> diagnose(pci, registers, driver, node));
        long t1 = System.nanoTime();
        if (!warming) {
          isr.elapsedNanos += t1 - t0;
          completion.elapsedNanos += t1 - t0;
        }
        if (!going) {
          node.stop();
          break;
        }
        factorialLoop(driver, factorial);
        if (!warming) {
          factorial.elapsedNanos += System.nanoTime() - t1;
        }
        isr.idleEvents += idleInterrupts(driver);
        node.stop();
        factorial.idleEvents += idleInterrupts(driver); // none while stopped
        if (warming) {
          isr.measure();
          completion.measure();
          factorial.measure();
        }
      }
      // Every ISR call was a claim or a miss the driver counted; nothing else may have run.
      isr.spurious += driver.unclaimed() + driver.overflowed();
      factorial.spurious += driver.unexpected();
      completion.spurious = isr.spurious;
      completion.idleEvents = isr.idleEvents;
      boolean accounted = true;
      for (Interrupt interrupt : node.getInterrupts()) {
        InterruptStatistics s = interrupt.getStatistics();
        boolean ok = s.signals() == s.isrCalls() + s.coalesced() + s.dropped()
            && s.isrCalls() == driver.claimed() + driver.unclaimed() && s.callbackFailures() == 0;
        accounted &= ok;
        out.printf(Locale.ROOT,
            "INFO %s signals=%d isr=%d claimed=%d coalesced=%d dropped=%d work_items=%d failures=%d%s%n",
            interrupt, s.signals(), s.isrCalls(), s.claimed(), s.coalesced(), s.dropped(),
            s.workItemsRun(), s.callbackFailures(), ok ? "" : " MISMATCH");
      }
      out.printf(Locale.ROOT, "INFO via=%s cycles=%d driver_claimed=%d factorials=%d raises=%d%n",
          via, cycles, driver.claimed(), driver.factorialsCompleted(), driver.raisesCompleted());
      out.println(isr.line());
      out.println(completion.line());
      out.println(factorial.line());
      return accounted && isr.passed() && completion.passed() && factorial.passed();
    }
  }

  /** ISR calls while nothing was asked of the device. */
  private static long idleInterrupts(EduDriver driver) throws InterruptedException {
    long before = driver.claimed() + driver.unclaimed();
    Thread.sleep(IDLE_MILLIS);
    return driver.claimed() + driver.unclaimed() - before;
  }

  /** What the device, the PCI command register and the runtime say, after a lost interrupt. */
  private static String diagnose(PciDevice pci, Registers32 registers, EduDriver driver, DeviceNode node) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "irq_status=0x%x status=0x%x driver_claimed=%d unclaimed=%d",
        registers.read32(EduDriver.IRQ_STATUS), registers.read32(EduDriver.STATUS), driver.claimed(),
        driver.unclaimed()));
    try {
      byte[] config = java.nio.file.Files.readAllBytes(pci.sysfs().resolve("config"));
      s.append(String.format(Locale.ROOT, " pci_command=0x%02x%02x pci_status=0x%02x%02x",
          config[5], config[4], config[7], config[6]));
    } catch (java.io.IOException | RuntimeException e) {
      s.append(" pci_config=").append(e);
    }
    for (Interrupt interrupt : node.getInterrupts()) {
      s.append(' ').append(interrupt.getStatistics());
    }
    return s.toString();
  }

  /** False when three raises in a row were lost: the interrupt path is broken, no use going on. */
  private boolean raiseLoop(
      EduDriver driver, int count, EduTally isr, EduTally completion,
      java.util.function.Supplier<String> diagnosis) {
    int lostInARow = 0;
    for (int i = 0; i < count; i++) {
      int value = 0x0001_0000 | ((raiseIndex++ & 0x7fff) << 16);
      CompletableFuture<EduDriver.Claim> claim = driver.raise(value);
      isr.raised++;
      completion.raised++;
      EduDriver.Claim c = await(claim);
      long t1 = System.nanoTime();
      if (c == null) {
        claim.cancel(false);
        isr.lost++;
        completion.lost++;
        out.printf(Locale.ROOT, "raise 0x%08x: not claimed within 2 s; %s%n", value, diagnosis.get());
        if (++lostInARow == 3) {
          return false;
        }
        continue;
      }
      lostInARow = 0;
      isr.claimed++;
      completion.claimed++;
      // From the register write, as the C loops time it; raise()'s request bookkeeping comes before.
      isr.latency(c.isrNanos() - c.raisedNanos());
      completion.latency(t1 - c.raisedNanos());
      if (c.status() != value) {
        isr.wrongStatus++;
        completion.wrongStatus++;
      }
    }
    return true;
  }

  private void factorialLoop(EduDriver driver, EduTally tally) {
    int batch = Math.min(21, factorials / 4);
    int single = factorials - batch;
    for (int i = 0; i < single; i++) {
      int n = i % 21; // 13! and above wrap in 32 bits, as in the device
      long t0 = System.nanoTime();
      Integer result = await(driver.factorial(n));
      tally.latency(System.nanoTime() - t0);
      check(tally, n, result);
    }
    // A queued batch: the driver starts each from the previous one's completion.
    List<CompletableFuture<Integer>> pending = new ArrayList<>();
    for (int n = 0; n < batch; n++) {
      pending.add(driver.factorial(n));
    }
    for (int n = 0; n < batch; n++) {
      check(tally, n, await(pending.get(n)));
    }
  }

  private void check(EduTally tally, int n, Integer result) {
    tally.raised++;
    if (result == null) {
      tally.lost++;
      out.printf(Locale.ROOT, "factorial %d: no completion within 2 s%n", n);
      return;
    }
    tally.claimed++;
    if (result != factorial(n)) {
      tally.wrongValue++;
      out.printf(Locale.ROOT, "factorial %d: device says %d, expected %d%n", n,
          Integer.toUnsignedLong(result), Integer.toUnsignedLong(factorial(n)));
    }
  }

  private static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(WAIT_NANOS, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** n! in 32-bit arithmetic, wrapping, as the device computes it. */
  static int factorial(int n) {
    int r = 1;
    for (int i = n; i > 1; i--) {
      r *= i;
    }
    return r;
  }
}
