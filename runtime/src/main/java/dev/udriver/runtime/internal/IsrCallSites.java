package dev.udriver.runtime.internal;

import dev.udriver.runtime.InterruptConfig;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ISR call site, made per driver class instead of shared.
 *
 * <p>The generated wiring gives every driver class its own {@link InterruptConfig.Isr}
 * implementation. One call site {@code isr.onInterruptIsr(...)} that every interrupt goes through
 * sees all of them: with three or more it turns megamorphic, an itable lookup plus an
 * unpredictable indirect call that cost +16 ns per interrupt on the reference machine (ten times
 * the dispatch budget). Here each of the first {@link #SITES} ISR classes the JVM meets gets a slot,
 * and each slot has a call site of its own in {@link #call}: a site only ever sees one class, stays
 * monomorphic, and the JIT inlines the generated lambda and usually the driver's method behind it.
 * The slot is chosen once, when the interrupt object is created; the switch on it is the only
 * branch that depends on which driver is served. Classes past the first {@value #SITES} share one
 * site (megamorphic, still correct).
 */
public final class IsrCallSites {

  /** Number of dedicated call sites. */
  static final int SITES = 8;

  /** The slot of each ISR class; a class keeps its slot for the life of the JVM. */
  private static final ClassValue<Integer> SLOTS =
      new ClassValue<>() {
        @Override
        protected Integer computeValue(Class<?> type) {
          int slot = NEXT.getAndIncrement();
          return slot < SITES ? slot : SITES;
        }
      };

  private static final AtomicInteger NEXT = new AtomicInteger();

  private IsrCallSites() {}

  /** The slot for {@code isr}'s class: 0..SITES-1, or SITES for the shared site. */
  public static int slotOf(InterruptConfig.Isr isr) {
    return SLOTS.get(isr.getClass());
  }

  /** Calls {@code isr} through the site of {@code slot}. Each case is a distinct call site. */
  public static boolean call(
      int slot, InterruptConfig.Isr isr, dev.udriver.runtime.Interrupt interrupt, int messageId) {
    return switch (slot) {
      case 0 -> isr.onInterruptIsr(interrupt, messageId);
      case 1 -> isr.onInterruptIsr(interrupt, messageId);
      case 2 -> isr.onInterruptIsr(interrupt, messageId);
      case 3 -> isr.onInterruptIsr(interrupt, messageId);
      case 4 -> isr.onInterruptIsr(interrupt, messageId);
      case 5 -> isr.onInterruptIsr(interrupt, messageId);
      case 6 -> isr.onInterruptIsr(interrupt, messageId);
      case 7 -> isr.onInterruptIsr(interrupt, messageId);
      default -> isr.onInterruptIsr(interrupt, messageId);
    };
  }
}
