package dev.udriver.runtime.internal;

import dev.udriver.annotation.InterruptPriority;
import dev.udriver.runtime.hardware.PollableInterruptSource;
import java.util.function.Consumer;

/**
 * The thread that runs ISRs. Pending interrupts wait in one {@link ServiceStack} per priority and
 * are served HIGH before NORMAL before LOW: after each batch the dispatcher looks at the highest
 * priority again.
 *
 * <p>Each interrupt object is in at most one stack at a time (it is offered only when its pending
 * count leaves zero), so one interrupt's ISR never runs concurrently with itself.
 */
final class Dispatcher extends ServiceThread {

  private static final ServiceStack.Link PENDING_LINK =
      new ServiceStack.Link() {
        @Override
        public InterruptObject next(InterruptObject node) {
          return node.nextPending;
        }

        @Override
        public void setNext(InterruptObject node, InterruptObject next) {
          node.nextPending = next;
        }
      };

  /** Index = {@code InterruptPriority.HIGH.ordinal() - priority.ordinal()}: HIGH first. */
  private final ServiceStack[] pendingByPriority = {
    new ServiceStack(PENDING_LINK), new ServiceStack(PENDING_LINK), new ServiceStack(PENDING_LINK)
  };

  private final Consumer<Throwable> failureReporter;

  Dispatcher(String threadName, WaitStrategy waitStrategy, Consumer<Throwable> failureReporter) {
    super(threadName, waitStrategy);
    this.failureReporter = failureReporter;
  }

  static int queueIndex(InterruptPriority priority) {
    return InterruptPriority.HIGH.ordinal() - priority.ordinal();
  }

  /** Hands a newly pending interrupt to the dispatcher. Any thread. */
  void schedule(InterruptObject interrupt) {
    pendingByPriority[interrupt.priorityQueueIndex()].push(interrupt);
    wake();
  }

  @Override
  boolean serveAvailable() {
    for (ServiceStack pending : pendingByPriority) {
      InterruptObject batch = pending.takeAll();
      if (batch != null) {
        serve(batch);
        return true;
      }
    }
    return false;
  }

  private static void serve(InterruptObject batch) {
    InterruptObject interrupt = batch;
    while (interrupt != null) {
      // Unlink before serving: once its pending count is taken, the object may be offered again.
      InterruptObject next = interrupt.nextPending;
      interrupt.nextPending = null;
      interrupt.serviceInterrupt();
      interrupt = next;
    }
  }

  /**
   * Watches a pollable source while idle; its signals then reach the ISR on this thread with no
   * hand-off.
   *
   * @throws IllegalStateException when this dispatcher cannot wait on file descriptors
   */
  void registerPollable(InterruptObject interrupt, PollableInterruptSource source) {
    WaitStrategy wait = waitStrategy();
    if (!wait.supportsPollableSources()) {
      throw new IllegalStateException(
          "interrupt " + interrupt + ": its source waits on a file descriptor, but the dispatcher"
              + " waits with " + wait.getClass().getSimpleName() + ", which cannot (Linux sources"
              + " need the epoll dispatcher)");
    }
    wait.register(source, interrupt);
  }

  void unregisterPollable(PollableInterruptSource source) {
    waitStrategy().unregister(source);
  }

  @Override
  boolean hasWork() {
    for (ServiceStack pending : pendingByPriority) {
      if (!pending.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  @Override
  void serviceFailed(Throwable failure) {
    failureReporter.accept(failure);
  }
}
