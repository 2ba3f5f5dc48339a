package dev.udriver.runtime.internal;

/**
 * Pins the calling thread to a set of processors. The runtime pins a dispatcher that serves
 * interrupts with {@code SPECIFIED_PROCESSORS}, {@code ONE_CLOSE_PROCESSOR} or {@code
 * SPREAD_MESSAGES_ACROSS_ALL_PROCESSORS} affinity, from the dispatcher thread itself.
 *
 * <p>Pinning fails soft: where it is unavailable the thread runs unpinned and the reason is
 * reported once per dispatcher.
 */
@FunctionalInterface
public interface ThreadPinning {

  /** Pins nothing and says so. */
  ThreadPinning NONE = mask -> "thread pinning is not available on this platform";

  /**
   * Pins the calling thread.
   *
   * @param processorMask bit n = processor n (group 0)
   * @return null when pinned, else why not
   */
  String pinCurrentThread(long processorMask);

  /** Linux {@code sched_setaffinity} through the FFM API where it works, otherwise {@link #NONE}. */
  static ThreadPinning platformDefault() {
    return LinuxThreadPinning.isAvailable() ? new LinuxThreadPinning() : unavailable();
  }

  private static ThreadPinning unavailable() {
    String reason = LinuxThreadPinning.unavailabilityReason();
    return mask -> "thread not pinned: " + reason;
  }
}
