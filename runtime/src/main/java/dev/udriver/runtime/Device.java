package dev.udriver.runtime;

import java.util.List;
import java.util.function.Supplier;

/**
 * The device a driver serves, as its driver sees it: the part of {@code IWDFDevice3} that concerns
 * interrupts, and the device object's lock ({@code IWDFObject::AcquireLock}/{@code ReleaseLock}).
 * The device is the associated object of every work item and the argument of enable and disable
 * callbacks.
 */
public interface Device {

  /** The device name. */
  String getName();

  /**
   * {@code IWDFDevice3::CreateInterrupt}: creates an interrupt object from a configuration. Allowed
   * only while a driver is being added to the device (WDF: {@code OnDeviceAdd}); otherwise throws
   * {@link IllegalStateException}. The object's message number is its creation index within the
   * device; it is connected only if the device assigns it a resource at start.
   */
  Interrupt createInterrupt(InterruptConfig config);

  /** The device's interrupt objects in creation order. */
  List<Interrupt> getInterrupts();

  /**
   * {@code IWDFObject::AcquireLock}: acquires the device's lock, waiting while another thread holds
   * it. It is the lock that automatically serialized work items ({@link
   * InterruptConfig#automaticSerialization()}) run under, so driver code that takes it is
   * serialized with them: while it holds the lock, no such work item starts. Any thread may call
   * it.
   *
   * <p>The lock is not recursive: acquiring it on a thread that holds it already (for example in
   * an automatically serialized work item, where the framework holds it) throws {@link
   * DeviceRuleViolation}, as WDF's callback lock, recursive inside, answers a driver's recursive
   * acquire with a verifier assert. A recursive hold would also hide the mistake that matters: code
   * that believes it is the first to enter, while an outer holder is half-way through an update.
   *
   * <p>Do not take it while holding an interrupt lock (in an ISR, an enable or disable callback, a
   * locked region): the ISR would wait for as long as a work item runs, and a work item that takes
   * the interrupt lock under the device lock would deadlock with it. With the verifier on, either
   * order is reported ({@link VerifierFinding#DEVICE_LOCK_UNDER_INTERRUPT_LOCK}, {@link
   * VerifierFinding#INTERRUPT_LOCK_UNDER_DEVICE_LOCK}).
   */
  void acquireLock();

  /**
   * {@code IWDFObject::ReleaseLock}: releases the device's lock. Releasing it on a thread that
   * does not hold it throws {@link DeviceRuleViolation}.
   */
  void releaseLock();

  /**
   * Acquires the device's lock for a try-with-resources block; closing the returned handle
   * releases it. The handle is allocated once per device.
   *
   * <pre>{@code
   * try (var held = device.lock()) {
   *   settings = newSettings; // no automatically serialized work item runs meanwhile
   * }
   * }</pre>
   */
  HeldLock lock();

  /** Runs {@code callback} under the device's lock and returns its result. */
  <T> T synchronize(Supplier<T> callback);

  /** A held device lock; {@link #close()} releases it. */
  interface HeldLock extends AutoCloseable {
    /** Releases the device's lock. */
    @Override
    void close();
  }
}
