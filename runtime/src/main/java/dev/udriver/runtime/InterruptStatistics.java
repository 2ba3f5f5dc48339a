package dev.udriver.runtime;

/**
 * A snapshot of one interrupt's counters. Each counter is read on its own, without stopping
 * dispatch, so a snapshot taken while interrupts arrive may mix moments a few signals apart.
 *
 * @param signals signals delivered by the interrupt's source (each edge, message or assertion)
 * @param isrCalls ISR invocations
 * @param claimed ISR invocations that returned true
 * @param unclaimed ISR invocations that returned false
 * @param coalesced signals that arrived while the ISR was pending or running and were served by
 *     the same further call ({@code signals - isrCalls} for edge and MSI sources)
 * @param workItemsQueued {@code queueWorkItemForIsr()} calls that returned true
 * @param workItemsCoalesced {@code queueWorkItemForIsr()} calls that returned false
 * @param workItemsRun work item invocations
 * @param callbackFailures driver callbacks that threw
 * @param dropped signals that arrived while the interrupt was being disconnected and were not
 *     served; {@code signals == isrCalls + coalesced + dropped}
 * @param verifierFindings rule violations the verifier found on this interrupt (0 with the verifier
 *     off)
 * @param isrTime how long each ISR call took, lock hand-over and bookkeeping included (empty when
 *     the device's timing is off)
 * @param workItemLatency from the {@code queueWorkItemForIsr()} that queued a work item to the start
 *     of its run (empty when timing is off)
 */
public record InterruptStatistics(
    long signals,
    long isrCalls,
    long claimed,
    long unclaimed,
    long coalesced,
    long workItemsQueued,
    long workItemsCoalesced,
    long workItemsRun,
    long callbackFailures,
    long dropped,
    long verifierFindings,
    LatencyHistogram isrTime,
    LatencyHistogram workItemLatency) {

  /** The longest ISR call, in nanoseconds. */
  public long maxIsrNanos() {
    return isrTime.maxNanos();
  }

  /** The longest ISR → work item latency, in nanoseconds. */
  public long maxWorkItemLatencyNanos() {
    return workItemLatency.maxNanos();
  }
}
