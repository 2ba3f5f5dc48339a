package dev.udriver.runtime;

import dev.udriver.annotation.AffinityPolicy;
import dev.udriver.annotation.InterruptPriority;
import java.util.function.Supplier;

/**
 * An interrupt object: udriver's {@code IWDFInterrupt}, method for method, plus a few Java
 * conveniences ({@link #lock()}, {@link #synchronize(Supplier)}, {@link #getName()}, {@link
 * #getStatistics()}, {@link #signalsInThisCall()}).
 *
 * <p>Misuse that WDF answers with a verifier break or a bug check (a recursive lock acquire,
 * releasing a lock not held, queueing a work item that was never declared, a double enable) throws
 * {@link InterruptRuleViolation}, whose message names the interrupt and the rule.
 */
public interface Interrupt {

  /** The interrupt name from its configuration ({@code ""} for a driver's only interrupt). */
  String getName();

  /**
   * {@code AcquireInterruptLock}: acquires the interrupt lock, waiting while another thread holds
   * it. The lock is not recursive: acquiring it on a thread that already holds it (for example in
   * the ISR, where the framework holds it) throws {@link InterruptRuleViolation} instead of
   * deadlocking. Code running on an arbitrary thread should use {@link
   * #tryToAcquireInterruptLock()}.
   */
  void acquireInterruptLock();

  /**
   * {@code ReleaseInterruptLock}: releases the interrupt lock. Releasing a lock this thread does not
   * hold throws {@link InterruptRuleViolation}.
   */
  void releaseInterruptLock();

  /**
   * {@code TryToAcquireInterruptLock}: acquires the interrupt lock if it is free and returns at once;
   * false when any thread, this one included, holds it.
   */
  boolean tryToAcquireInterruptLock();

  /**
   * {@code Enable}: reconnects an interrupt the driver disconnected with {@link #disable()} and calls
   * its enable callback. Enabling an interrupt that is already enabled throws {@link
   * InterruptRuleViolation} (UMDF 2.19's "Multiple interrupt connection attempts").
   *
   * <p>It waits for a stop or another interrupt's {@link #disable()} in progress, except when that
   * one waits for the caller: a thread holding the device's lock ({@link Device#acquireLock()})
   * while the drain waits for a work item queued for that lock, or a work item the drain waits for.
   * Then it is checked as above and deferred: the stopping or disabling thread enables the
   * interrupt when its drain ends, before its own call returns (out of D0, the next start does).
   * It is never dropped and never fails for it, as UMDF's {@code Enable} returns nothing and WDF
   * keeps the driver's request across D0 transitions; but on return the enable callback may not
   * have run yet.
   */
  void enable();

  /**
   * {@code Disable}: calls the disable callback, drains the work item and disconnects the interrupt.
   * It stays disconnected across D0 entries until the driver calls {@link #enable()}. Throws {@link
   * DeviceRuleViolation} when the calling thread holds the device's lock ({@link
   * Device#acquireLock()}): an automatically serialized work item would wait for it, and the drain
   * for that work item. Called from a work item that a stop or another interrupt's disable() is
   * draining, it is deferred as {@link #enable()} is, and applied when that drain ends.
   */
  void disable();

  /** {@code GetDevice}: the device that owns this interrupt. */
  Device getDevice();

  /** {@code GetInfo}: what the device assigned to this interrupt (see {@link InterruptInfo}). */
  InterruptInfo getInfo();

  /**
   * {@code QueueWorkItemForIsr}: queues the work item. True when this call queued it; false while it
   * is queued and not yet started (the requests coalesce into one run). A call made while the work
   * item runs queues one more run. False as well from the moment the interrupt is disconnected (D0
   * exit or {@link #disable()}) until it is connected again, as WDF refuses to queue a work item
   * that is running down. Throws {@link InterruptRuleViolation} when the interrupt has no work item
   * (WDF bug-checks).
   */
  boolean queueWorkItemForIsr();

  /**
   * Inside this interrupt's ISR: how many signals the running call serves, 1 plus those that
   * coalesced into it while it was pending or while the previous call ran. What a signal is
   * depends on the source: an edge or a message each count one; an eventfd source the counter
   * value it read, a timerfd the expirations (a periodic timer's overruns), a UIO device the
   * increase of its interrupt count. A driver that counts events rather than calls (ticks of a
   * timer, doorbells rung) adds this instead of 1.
   *
   * <p>Outside the ISR (a work item, an enable or disable callback, another interrupt's ISR, any
   * other thread) no call of this ISR is being served on the calling thread: it returns 0 and,
   * with the verifier on, reports {@link VerifierFinding#SIGNALS_OUTSIDE_ISR}; the processor
   * reports such a call at compile time ({@code SIGNALS_IN_CALL_ONLY_FROM_ISR}). Reading it costs
   * a field load and a thread comparison; it allocates nothing.
   */
  long signalsInThisCall();

  /**
   * {@code SetPolicy}: sets affinity and priority, applied when the device assigns resources.
   *
   * @param targetProcessorSet processor mask, only with {@link AffinityPolicy#SPECIFIED_PROCESSORS}
   * @throws IllegalArgumentException when the values are out of range (see {@link ExtendedPolicy})
   */
  void setPolicy(AffinityPolicy policy, InterruptPriority priority, long targetProcessorSet);

  /** {@code SetExtendedPolicy}: as {@link #setPolicy}, with a processor group. */
  void setExtendedPolicy(ExtendedPolicy policy);

  /**
   * Acquires the interrupt lock for a try-with-resources block; closing the returned handle releases
   * it. The handle is allocated once per interrupt.
   *
   * <pre>{@code
   * try (var held = interrupt.lock()) {
   *   drain(buffer);
   * }
   * }</pre>
   */
  HeldLock lock();

  /**
   * Runs {@code callback} under the interrupt lock and returns its result: KMDF's {@code
   * WdfInterruptSynchronize}.
   */
  <T> T synchronize(Supplier<T> callback);

  /** Counters of this interrupt, read without stopping anything. */
  InterruptStatistics getStatistics();

  /** A held interrupt lock; {@link #close()} releases it. */
  interface HeldLock extends AutoCloseable {
    /** Releases the interrupt lock. */
    @Override
    void close();
  }
}
