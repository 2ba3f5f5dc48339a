package dev.udriver.runtime.internal;

import dev.udriver.annotation.InterruptPriority;

/**
 * What a thread that signals an interrupt object touches in it: the pending count, the link in the
 * dispatcher's pending stack, and which dispatcher and priority stack to push onto. A superclass
 * of its own because HotSpot lays out a superclass's fields first, beside the object header: the
 * four share one cache line, which the dispatcher writes only when it takes the count. As fields
 * of {@link InterruptObject} they were spread over three lines, two of which the dispatcher
 * writes on every ISR call: each signal from another thread missed on them.
 */
abstract class PendingLine {

  /** Signals not yet taken by the dispatcher; see {@link InterruptObject#signal}. */
  @SuppressWarnings("unused") // through InterruptObject.PENDING_SIGNALS
  volatile long pendingSignals;

  /** The dispatcher's {@link ServiceStack} (or local list) link. */
  InterruptObject nextPending;

  /** The dispatcher serving this interrupt, chosen by policy when resources are assigned. */
  volatile Dispatcher dispatcher;

  /** Which of the dispatcher's priority stacks; written while the interrupt is disconnected. */
  int priorityQueueIndex = Dispatcher.queueIndex(InterruptPriority.NORMAL);
}
