package dev.udriver.runtime.internal;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits with {@link LockSupport#parkNanos}. Before parking the thread sets {@link #waiting} and
 * re-checks for work; a producer, after its push, unparks the thread only if {@code waiting} is
 * set. Both sides write one volatile and then read the other, so a push is never missed.
 */
public final class ParkWaitStrategy implements WaitStrategy {

  /** The factory of this strategy. */
  public static final Factory FACTORY = threadName -> new ParkWaitStrategy();

  private volatile boolean waiting;
  private volatile Thread thread;

  @Override
  public void bind(Thread serviceThread) {
    thread = serviceThread;
  }

  @Override
  public void await(BooleanSupplier hasWork, long timeoutNanos) {
    waiting = true;
    try {
      if (!hasWork.getAsBoolean()) {
        LockSupport.parkNanos(this, timeoutNanos);
      }
    } finally {
      waiting = false;
    }
  }

  @Override
  public void wake() {
    if (waiting) {
      Thread sleeper = thread;
      if (sleeper != null) {
        LockSupport.unpark(sleeper);
      }
    }
  }
}
