package dev.udriver.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * A driver callback that has been running longer than its watchdog threshold (see {@link
 * DeviceNode.Builder#watchdog}), reported once per call to {@link DeviceListener#callbackHung}
 * while it still runs. UMDF's host gives PnP and power callbacks 60 seconds before it reports the
 * driver and restarts it; udriver reports and leaves the callback running: a Java thread cannot be
 * stopped safely, and the report is what a developer needs to find the stuck line.
 *
 * @param interrupt the interrupt whose callback it is
 * @param callback the callback's WDF name: {@code OnInterruptIsr}, {@code OnInterruptWorkItem},
 *     {@code OnInterruptEnable} or {@code OnInterruptDisable}
 * @param runningFor how long the call has run at least, when the watchdog reported it: from the
 *     watchdog check that first saw it running (the call may have started up to one check period
 *     earlier), or, for enable and disable, from its start
 * @param threshold the threshold it passed
 * @param thread the name of the thread running the callback
 * @param stack that thread's stack as the watchdog took it (a {@link Throwable} for loggers;
 *     nothing was thrown)
 */
public record HungCallback(
    Interrupt interrupt, String callback, Duration runningFor, Duration threshold, String thread,
    Throwable stack) {

  public HungCallback {
    Objects.requireNonNull(interrupt, "interrupt");
    Objects.requireNonNull(callback, "callback");
    Objects.requireNonNull(runningFor, "runningFor");
    Objects.requireNonNull(threshold, "threshold");
    Objects.requireNonNull(thread, "thread");
    Objects.requireNonNull(stack, "stack");
  }

  @Override
  public String toString() {
    return "HungCallback[" + callback + " of interrupt " + interrupt + " on thread " + thread
        + " has run for at least " + runningFor.toMillis() + " ms (threshold "
        + threshold.toMillis() + " ms)]";
  }
}
