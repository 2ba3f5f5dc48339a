package dev.udriver.runtime.internal;

/**
 * Places the calling thread on the machine: pins it to a set of processors and, where threads have
 * nice values of their own (Linux), sets its nice value. The runtime pins a dispatcher that serves
 * interrupts with {@code SPECIFIED_PROCESSORS}, {@code ONE_CLOSE_PROCESSOR} or {@code
 * SPREAD_MESSAGES_ACROSS_ALL_PROCESSORS} affinity, from the dispatcher thread itself, and sets the
 * nice value of every dispatcher thread from the priority of the interrupts it serves (see {@link
 * DispatcherPool}).
 *
 * <p>Both fail soft: where pinning is unavailable the thread runs unpinned and the reason is
 * reported once per dispatcher; where a nice value cannot be set the thread keeps the one it has
 * and the failure is reported. Where nice values are not available at all ({@link
 * #currentThreadId} is 0) the Java priority is all a thread gets, and nothing is reported.
 */
@FunctionalInterface
public interface ThreadPinning {

  /** Pins nothing and says so; sets no nice values. */
  ThreadPinning NONE = mask -> "thread pinning is not available on this platform";

  /**
   * Pins the calling thread.
   *
   * @param processorMask bit n = processor n (group 0)
   * @return null when pinned, else why not
   */
  String pinCurrentThread(long processorMask);

  /** The calling thread's id for {@link #setNice}; 0 when nice values are not available. */
  default int currentThreadId() {
    return 0;
  }

  /** The calling thread's nice value, -20..19 (0 when nice values are not available). */
  default int currentNice() {
    return 0;
  }

  /** Null when nice values can be set, else why not. */
  default String niceUnavailability() {
    return "nice values are not available on this platform";
  }

  /**
   * Sets the nice value of a thread.
   *
   * @param threadId an id {@link #currentThreadId} returned on a thread that still runs
   * @param nice -20..19
   * @return null when set, else why not
   */
  default String setNice(int threadId, int nice) {
    return "nice value not set: " + niceUnavailability();
  }

  /**
   * Linux {@code sched_setaffinity} and {@code setpriority} through the FFM API where they work;
   * elsewhere pinning is reported unavailable and no nice values are set.
   */
  static ThreadPinning platformDefault() {
    return LinuxThreadPinning.isAvailable() || LinuxThreadPinning.niceUnavailabilityReason() == null
        ? new LinuxThreadPinning()
        : unavailable();
  }

  private static ThreadPinning unavailable() {
    String reason = LinuxThreadPinning.unavailabilityReason();
    return mask -> "thread not pinned: " + reason;
  }
}
