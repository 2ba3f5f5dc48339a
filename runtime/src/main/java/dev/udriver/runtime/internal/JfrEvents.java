package dev.udriver.runtime.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * Flight Recorder events for ISR and work-item executions, shown by JDK Mission Control under
 * "udriver". Off unless a recording enables them ({@code jcmd <pid> JFR.start
 * settings=profile}, or {@code -XX:StartFlightRecording}; both event types are enabled by default
 * with a 0 ms threshold, so set {@code dev.udriver.Isr#threshold} to see only slow ones).
 *
 * <p>Cost when not recording: {@link #isrEnabled()} is one call to {@link EventType#isEnabled()} on
 * a constant, a volatile read that the JIT inlines; no event object is created. The
 * IsrDispatchBenchmark measures it.
 */
public final class JfrEvents {

  private static final EventType ISR = EventType.getEventType(IsrExecution.class);
  private static final EventType WORK_ITEM = EventType.getEventType(WorkItemExecution.class);

  private JfrEvents() {}

  /** Whether a recording enables the ISR event: the check the ISR path makes once per call. */
  public static boolean isrEnabled() {
    return ISR.isEnabled();
  }

  static boolean workItemEnabled() {
    return WORK_ITEM.isEnabled();
  }

  /** One ISR call. */
  @Name("dev.udriver.Isr")
  @Label("ISR Execution")
  @Category({"udriver", "Interrupts"})
  @Description("One call of a driver's interrupt service routine, with the interrupt lock held")
  @StackTrace(false)
  static final class IsrExecution extends Event {
    @Label("Interrupt")
    String interrupt;

    @Label("Message ID")
    int messageId;

    @Label("Claimed")
    boolean claimed;

    @Label("Signals")
    @Description("Signals this call served: 1 plus those that coalesced into it")
    long signals;
  }

  /** One work item run. */
  @Name("dev.udriver.WorkItem")
  @Label("Work Item Execution")
  @Category({"udriver", "Interrupts"})
  @Description("One run of a driver's interrupt work item, without the interrupt lock")
  @StackTrace(false)
  static final class WorkItemExecution extends Event {
    @Label("Interrupt")
    String interrupt;

    @Label("Queue Latency")
    @Description("From queueWorkItemForIsr() to the start of this run (0 with timing off)")
    @Timespan(Timespan.NANOSECONDS)
    long queueLatency;
  }
}
