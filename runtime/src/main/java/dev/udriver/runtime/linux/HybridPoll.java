package dev.udriver.runtime.linux;

import dev.udriver.runtime.Interrupt;
import java.util.Objects;

/**
 * The hybrid interrupt/poll mode of Linux NAPI and DPDK's rx-interrupt mode: an interrupt masks
 * its source and starts polling; the driver then polls in its work item, at most {@code budget}
 * items a round, while the interrupt stays masked; when a round finds less than a full budget
 * (after {@code idleRoundsBeforeRearm} further empty rounds, NAPI's {@code napi_defer_hard_irqs})
 * polling completes and only then is the interrupt unmasked. Interrupts that arrive while masked
 * stay pending in the kernel object and fire at once on unmask, so an item that lands between the
 * last poll and the unmask is not stranded.
 *
 * <pre>{@code
 * final class RxQueueDriver {
 *   private final HybridPoll hybrid;
 *   RxQueueDriver(LinuxInterruptSource rx, RxRing ring) {
 *     hybrid = new HybridPoll(rx, 64, 2, budget -> ring.drain(budget));
 *   }
 *   @OnInterruptIsr boolean onRx(Interrupt interrupt) { return hybrid.interrupted(interrupt); }
 *   @OnInterruptWorkItem void poll(Interrupt interrupt) { hybrid.poll(interrupt); }
 * }
 * }</pre>
 *
 * The work item runs on the device's worker without the interrupt lock, as NAPI's poll runs in
 * softirq context outside the hard IRQ. Each further round is one more work-item run (a work item
 * queued from its own run runs once more), so a device stop ends polling: the interrupt's work
 * item can no longer be queued once it is disconnected, and the next connection starts unmasked.
 */
public final class HybridPoll {

  /** The driver's poll: processes at most {@code budget} items and returns how many it did. */
  @FunctionalInterface
  public interface Poller {
    int poll(int budget);
  }

  private final LinuxInterruptSource source;
  private final int budget;
  private final int idleRoundsBeforeRearm;
  private final Poller poller;

  // Written by one thread at a time (ISR: interrupts; work item: the rest); read by anyone.
  private volatile long interrupts;
  private volatile long rounds;
  private volatile long items;
  private volatile long rearms;
  private int idleRounds; // work item only

  /**
   * @param source the interrupt's source, masked while polling
   * @param budget the most items one round may process (NAPI's weight, often 64)
   * @param idleRoundsBeforeRearm empty rounds to poll before unmasking (0: unmask at once)
   */
  public HybridPoll(LinuxInterruptSource source, int budget, int idleRoundsBeforeRearm, Poller poller) {
    this.source = Objects.requireNonNull(source, "source");
    this.poller = Objects.requireNonNull(poller, "poller");
    if (budget <= 0 || idleRoundsBeforeRearm < 0) {
      throw new IllegalArgumentException("budget must be positive and idle rounds not negative");
    }
    this.budget = budget;
    this.idleRoundsBeforeRearm = idleRoundsBeforeRearm;
  }

  /** From the ISR: masks the source and schedules polling. Returns true (the interrupt is ours). */
  public boolean interrupted(Interrupt interrupt) {
    source.mask();
    interrupts = interrupts + 1;
    interrupt.queueWorkItemForIsr();
    return true;
  }

  /**
   * From the work item: one round of at most {@code budget} items. Schedules another round while
   * the budget is used up or the idle rounds are not spent; otherwise unmasks the interrupt.
   */
  public void poll(Interrupt interrupt) {
    int done = poller.poll(budget);
    rounds = rounds + 1;
    items = items + done;
    if (done >= budget) {
      idleRounds = 0;
      again(interrupt);
      return;
    }
    if (done == 0 && idleRounds < idleRoundsBeforeRearm) {
      idleRounds++;
      again(interrupt);
      return;
    }
    idleRounds = 0;
    rearms = rearms + 1;
    source.unmask(); // complete, then unmask: what came meanwhile fires now
  }

  private void again(Interrupt interrupt) {
    if (!interrupt.queueWorkItemForIsr()) {
      // The interrupt is being disconnected: polling ends, the next connection starts unmasked.
      idleRounds = 0;
    }
  }

  /** Interrupts taken (each started or extended a polling period). */
  public long interrupts() {
    return interrupts;
  }

  /** Poll rounds run. */
  public long rounds() {
    return rounds;
  }

  /** Items the rounds processed. */
  public long items() {
    return items;
  }

  /** Times polling completed and the interrupt was unmasked. */
  public long rearms() {
    return rearms;
  }

  /** Whether the source is masked (polling). */
  public boolean polling() {
    return source.isMasked();
  }
}
