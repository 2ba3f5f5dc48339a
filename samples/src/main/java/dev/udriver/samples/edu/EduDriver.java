package dev.udriver.samples.edu;

import dev.udriver.annotation.OnInterruptDisable;
import dev.udriver.annotation.OnInterruptEnable;
import dev.udriver.annotation.OnInterruptIsr;
import dev.udriver.annotation.OnInterruptWorkItem;
import dev.udriver.runtime.Interrupt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A driver for QEMU's {@code edu} device (PCI 1234:11e8), a teaching device that computes
 * factorials, raises interrupts on request and does DMA. It runs unchanged through {@code
 * uio_pci_generic} (INTx) and {@code vfio-pci} (MSI or INTx): the hardware object decides how the
 * interrupt arrives and is re-armed; the driver sees only BAR0.
 *
 * <ul>
 *   <li>The ISR reads the interrupt status register, acknowledges exactly those bits (the line
 *       drops), records the value and the time, and queues the work item. A zero status is not
 *       this device's interrupt.
 *   <li>The work item takes the recorded values under the interrupt lock and completes requests
 *       outside it: a finished factorial (status bit 0) completes the factorial request in flight
 *       with the result register, and starts the next queued one; raised bits complete the raise
 *       in flight.
 *   <li>Enable arms the factorial interrupt (status bit 7), clears stale status and starts a
 *       factorial queued while the device was stopped; disable disarms.
 * </ul>
 *
 * Application-facing methods ({@link #factorial}, {@link #raise}) take no interrupt lock: they
 * hand requests over through lock-free queues and write registers the ISR never writes.
 */
public final class EduDriver {

  /** RO: identification {@code 0xRRrr00ed}. */
  public static final long ID = 0x00;
  /** RW: reads back the bitwise inverse of what was written. */
  public static final long LIVENESS = 0x04;
  /** RW: write n to start n!; the result once computing is done. */
  public static final long FACTORIAL = 0x08;
  /** RW: bit 0 computing (RO), bit 7 raise {@link #IRQ_FACTORIAL} when a factorial is done. */
  public static final long STATUS = 0x20;
  /** RO: pending interrupt bits. */
  public static final long IRQ_STATUS = 0x24;
  /** WO: ORs the value into {@link #IRQ_STATUS} and interrupts. */
  public static final long IRQ_RAISE = 0x60;
  /** WO: clears the written bits of {@link #IRQ_STATUS}. */
  public static final long IRQ_ACK = 0x64;

  public static final int STATUS_COMPUTING = 0x01;
  public static final int STATUS_IRQ_ON_FACTORIAL = 0x80;
  public static final int IRQ_FACTORIAL = 0x001;
  public static final int IRQ_DMA = 0x100;
  /** The status bits the device itself sets; the rest are free for {@link #raise}. */
  public static final int DEVICE_BITS = IRQ_FACTORIAL | IRQ_DMA;

  /**
   * A claimed raise: the bits the ISR found, when it ran and when the raise register was written
   * (both {@link System#nanoTime()}).
   */
  public record Claim(int status, long isrNanos, long raisedNanos) {}

  private record FactorialRequest(int n, CompletableFuture<Integer> result) {}

  private record RaiseRequest(int value, CompletableFuture<Claim> claim) {}

  private static final int RING = 64;

  private final Registers32 registers;

  // ISR -> work item, guarded by the interrupt lock.
  private final int[] statuses = new int[RING];
  private final long[] times = new long[RING];
  private int recorded;
  // The work item's copies (one work item runs at a time).
  private final int[] takenStatuses = new int[RING];
  private final long[] takenTimes = new long[RING];

  // Written in the ISR (interrupt lock held), read anywhere.
  private volatile long claimed;
  private volatile long unclaimed;
  private volatile long overflowed;

  // Written by the work item only.
  private volatile long factorialsCompleted;
  private volatile long raisesCompleted;
  private volatile long dmaCompletions;
  private volatile long unexpected;

  private final ConcurrentLinkedQueue<FactorialRequest> queued = new ConcurrentLinkedQueue<>();
  private final AtomicReference<FactorialRequest> computing = new AtomicReference<>();
  private final AtomicBoolean starting = new AtomicBoolean();
  private final AtomicReference<RaiseRequest> raising = new AtomicReference<>();
  /** When the raise in flight was written; one raise is in flight at a time. */
  private volatile long raisedNanos;
  private volatile boolean armed;

  public EduDriver(Registers32 registers) {
    this.registers = registers;
  }

  @OnInterruptEnable
  void enable(Interrupt interrupt) {
    // edu has no reset: drop what a previous user left pending, but keep the completion of a
    // factorial this driver still waits for.
    int keep = computing.get() != null ? IRQ_FACTORIAL : 0;
    int stale = registers.read32(IRQ_STATUS) & ~keep;
    if (stale != 0) {
      registers.write32(IRQ_ACK, stale);
    }
    registers.write32(STATUS, STATUS_IRQ_ON_FACTORIAL);
    armed = true;
    startNext(); // requests queued while the device was stopped
  }

  @OnInterruptDisable
  void disable(Interrupt interrupt) {
    armed = false;
    registers.write32(STATUS, 0);
  }

  @OnInterruptIsr
  boolean onInterrupt(Interrupt interrupt) {
    int status = registers.read32(IRQ_STATUS);
    if (status == 0) {
      unclaimed = unclaimed + 1;
      return false;
    }
    registers.write32(IRQ_ACK, status);
    if (recorded < RING) {
      statuses[recorded] = status;
      times[recorded] = System.nanoTime();
      recorded++;
    } else {
      overflowed = overflowed + 1;
    }
    claimed = claimed + 1;
    interrupt.queueWorkItemForIsr();
    return true;
  }

  @OnInterruptWorkItem
  void complete(Interrupt interrupt) {
    int n;
    try (var held = interrupt.lock()) {
      n = recorded;
      System.arraycopy(statuses, 0, takenStatuses, 0, n);
      System.arraycopy(times, 0, takenTimes, 0, n);
      recorded = 0;
    }
    for (int i = 0; i < n; i++) {
      int status = takenStatuses[i];
      if ((status & IRQ_FACTORIAL) != 0) {
        completeFactorial();
      }
      if ((status & IRQ_DMA) != 0) {
        dmaCompletions = dmaCompletions + 1;
      }
      int raised = status & ~DEVICE_BITS;
      if (raised != 0) {
        RaiseRequest request = raising.getAndSet(null);
        if (request == null) {
          unexpected = unexpected + 1;
        } else {
          raisesCompleted = raisesCompleted + 1;
          request.claim().complete(new Claim(raised, takenTimes[i], raisedNanos));
        }
      }
    }
  }

  private void completeFactorial() {
    FactorialRequest request = computing.getAndSet(null);
    if (request == null) {
      unexpected = unexpected + 1;
      return;
    }
    int result = registers.read32(FACTORIAL);
    factorialsCompleted = factorialsCompleted + 1;
    request.result().complete(result);
    startNext();
  }

  /**
   * Asks the device for {@code n}! (32-bit, wrapping, as the device computes it). Requests queue:
   * the device computes one at a time; each completion interrupt starts the next.
   */
  public CompletableFuture<Integer> factorial(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n! of a negative n: " + n);
    }
    FactorialRequest request = new FactorialRequest(n, new CompletableFuture<>());
    queued.add(request);
    startNext();
    return request.result();
  }

  /** Starts the next queued factorial if the device is idle and armed. Any thread. */
  private void startNext() {
    while (armed && computing.get() == null && !queued.isEmpty()) {
      if (!starting.compareAndSet(false, true)) {
        return; // another thread is starting one and re-checks after
      }
      try {
        if (computing.get() == null) {
          FactorialRequest next = queued.poll();
          if (next != null) {
            computing.set(next);
            registers.write32(FACTORIAL, next.n());
          }
        }
      } finally {
        starting.set(false);
      }
    }
  }

  /**
   * Writes {@code value} to the raise register; the returned claim completes when the ISR has
   * claimed those bits. The device ORs raises into one status register, so one raise is in
   * flight at a time.
   *
   * @throws IllegalArgumentException when {@code value} is 0 or uses the device's own status bits
   * @throws IllegalStateException while another raise is in flight (one whose claim was not
   *     completed or cancelled)
   */
  public CompletableFuture<Claim> raise(int value) {
    if (value == 0 || (value & DEVICE_BITS) != 0) {
      throw new IllegalArgumentException(
          "raise a non-zero value outside the device's bits 0x" + Integer.toHexString(DEVICE_BITS));
    }
    RaiseRequest request = new RaiseRequest(value, new CompletableFuture<>());
    RaiseRequest current = raising.get();
    if ((current != null && !current.claim().isDone()) || !raising.compareAndSet(current, request)) {
      throw new IllegalStateException("a raise is already in flight");
    }
    raisedNanos = System.nanoTime(); // the request's bookkeeping above is not the interrupt's latency
    registers.write32(IRQ_RAISE, value);
    return request.claim();
  }

  /** ISR calls that claimed an interrupt. */
  public long claimed() {
    return claimed;
  }

  /** ISR calls that found no pending status (not this device's interrupt). */
  public long unclaimed() {
    return unclaimed;
  }

  /** Claims the ISR could not record (more than 64 before the work item ran). */
  public long overflowed() {
    return overflowed;
  }

  public long factorialsCompleted() {
    return factorialsCompleted;
  }

  public long raisesCompleted() {
    return raisesCompleted;
  }

  public long dmaCompletions() {
    return dmaCompletions;
  }

  /** Completions that no request waited for. */
  public long unexpected() {
    return unexpected;
  }

  /** Factorial requests queued or computing. */
  public int factorialsOutstanding() {
    return queued.size() + (computing.get() == null ? 0 : 1);
  }
}
