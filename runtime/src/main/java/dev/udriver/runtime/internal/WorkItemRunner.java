package dev.udriver.runtime.internal;

import java.util.function.Consumer;

/**
 * The thread that runs work items, without the interrupt lock. A work item is offered once per
 * successful {@code queueWorkItemForIsr()}, so each object is in the stack at most once.
 */
final class WorkItemRunner extends ServiceThread {

  private static final ServiceStack.Link WORK_LINK =
      new ServiceStack.Link() {
        @Override
        public InterruptObject next(InterruptObject node) {
          return node.nextWorkItem;
        }

        @Override
        public void setNext(InterruptObject node, InterruptObject next) {
          node.nextWorkItem = next;
        }
      };

  private final ServiceStack queued = new ServiceStack(WORK_LINK);
  private final Consumer<Throwable> failureReporter;

  WorkItemRunner(String threadName, WaitStrategy waitStrategy, Consumer<Throwable> failureReporter) {
    this(threadName, waitStrategy, failureReporter, false);
  }

  WorkItemRunner(
      String threadName,
      WaitStrategy waitStrategy,
      Consumer<Throwable> failureReporter,
      boolean manual) {
    super(threadName, waitStrategy, manual);
    this.failureReporter = failureReporter;
  }

  void schedule(InterruptObject interrupt) {
    queued.push(interrupt);
    wake();
  }

  /** Pushes without waking; the caller calls {@link #wake()} soon after (at the ISR's end). */
  void scheduleWithoutWake(InterruptObject interrupt) {
    queued.push(interrupt);
  }

  /**
   * Hands over the work items a dispatcher held back during its batch ({@link
   * Dispatcher#holdWorkItem}), linked newest first through {@code nextWorkItem}: one push and at
   * most one wake for all of them.
   */
  void publish(InterruptObject newest, InterruptObject oldest) {
    queued.pushChain(newest, oldest);
    wake();
  }

  @Override
  boolean serveAvailable() {
    InterruptObject interrupt = queued.takeAll();
    if (interrupt == null) {
      return false;
    }
    boolean ran = false;
    while (interrupt != null) {
      // Unlink first: the work item may queue itself again while it runs.
      InterruptObject next = interrupt.nextWorkItem;
      interrupt.nextWorkItem = null;
      if (isManual() && interrupt.waitsForDeviceLockHeldHere()) {
        // Deterministic mode: the caller serving holds the device lock. An automatically
        // serialized work item would wait for it on a worker; it stays queued until a later
        // runWorkItems() after the release, rather than run inside the caller's hold.
        queued.push(interrupt);
      } else {
        interrupt.runWorkItem();
        ran = true;
      }
      interrupt = next;
    }
    return ran;
  }

  @Override
  boolean hasWork() {
    return !queued.isEmpty();
  }

  @Override
  void serviceFailed(Throwable failure) {
    failureReporter.accept(failure);
  }

  boolean isWorkerThread() {
    return isCurrentThread();
  }
}
