package dev.udriver.runtime.sim;

import dev.udriver.runtime.hardware.GrantedInterrupt;
import dev.udriver.runtime.hardware.InterruptResource;
import dev.udriver.runtime.hardware.InterruptSink;
import dev.udriver.runtime.hardware.InterruptSource;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The interrupt resources a {@link SimulatedHardware} declares under one name, and the controls a
 * test uses to raise them from any thread: {@link #fire()} for an edge or a message, {@link
 * #assertLine()} / {@link #deassertLine()} for a level-triggered line.
 *
 * <p>A signal raised while the interrupt is not connected is lost, as on hardware whose interrupt
 * is disabled, and counted in {@link #lostSignals()}. A level line that is asserted when it is
 * connected interrupts at once.
 *
 * <p><b>Raising while the device stops.</b> A signal raised on one thread while another
 * disconnects the interrupt (a device's {@code stop()}) is either delivered to the interrupt object
 * before the disconnect returns, or lost and counted: never both, never neither, and never
 * delivered to a connection after its disconnect returned. A raise that found the interrupt
 * connected has delivered by the time the disconnect returns, which waits for it; a raise that
 * starts once the disconnect began finds nothing connected. So once {@code stop()} returns, the
 * signals the interrupt objects counted plus {@link #lostSignals()} are exactly the signals raised
 * so far, save those still being raised on other threads: these count as lost, or reach the next
 * connection if the interrupt is connected again before they read it.
 */
public final class SimulatedInterrupt {

  /** How the resources under this name signal. */
  public enum Kind {
    EDGE,
    LEVEL,
    MSI
  }

  private final String name;
  private final Kind kind;
  private final boolean shareable;
  private final int requested;
  private final int granted;
  private final List<Source> sources = new ArrayList<>();
  private final AtomicLong lost = new AtomicLong();
  private volatile boolean asserted;

  /** {@link Source#raising}. */
  private static final VarHandle RAISING;

  /** Spins of a disconnect waiting for a raise still delivering, before it parks. */
  private static final int DISCONNECT_SPINS = 256;

  /** First timed park of that wait: a raise still delivering after the spins was preempted. */
  private static final long FIRST_PARK_NANOS = 10_000;

  /** Longest timed park of that wait; parks double up to it. */
  private static final long MAX_PARK_NANOS = 1_000_000;

  static {
    try {
      RAISING = MethodHandles.lookup().findVarHandle(Source.class, "raising", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  SimulatedInterrupt(String name, Kind kind, boolean shareable, int requested, int granted) {
    if (requested < 1 || granted < 0 || granted > requested) {
      throw new IllegalArgumentException(
          "interrupt '" + name + "': need 1 <= requested and 0 <= granted <= requested, got "
              + requested + " and " + granted);
    }
    if (kind != Kind.MSI && requested != 1) {
      throw new IllegalArgumentException("interrupt '" + name + "': a line has one resource");
    }
    this.name = name;
    this.kind = kind;
    this.shareable = shareable;
    this.requested = requested;
    this.granted = granted;
    for (int message = 0; message < requested; message++) {
      sources.add(new Source());
    }
  }

  public String name() {
    return name;
  }

  public Kind kind() {
    return kind;
  }

  int requested() {
    return requested;
  }

  List<GrantedInterrupt> grant(int firstVector) {
    List<GrantedInterrupt> grants = new ArrayList<>(granted);
    for (int i = 0; i < granted; i++) {
      InterruptResource resource =
          switch (kind) {
            case EDGE -> new InterruptResource.Line(InterruptResource.Trigger.EDGE, false, firstVector, 0L);
            case LEVEL -> new InterruptResource.Line(InterruptResource.Trigger.LEVEL, shareable, firstVector, 0L);
            case MSI -> new InterruptResource.Message(firstVector + i, 0L);
          };
      grants.add(new GrantedInterrupt(resource, sources.get(i)));
    }
    return grants;
  }

  /** Raises one edge, or message 0 of an MSI interrupt. */
  public void fire() {
    fire(0);
  }

  /** Raises message {@code message} of an MSI interrupt (an edge for a line, message 0). */
  public void fire(int message) {
    fire(message, 1);
  }

  /**
   * Raises message {@code message} (0 for a line) {@code count} times at once, as a timerfd read
   * reports a periodic timer's overruns or an eventfd counter sums the writes made since the last
   * read: the interrupt object takes them as one delivery, served by one ISR call whose {@link
   * dev.udriver.runtime.Interrupt#signalsInThisCall()} is {@code count} plus what was already
   * pending.
   */
  public void fire(int message, long count) {
    if (count < 1) {
      throw new IllegalArgumentException("interrupt '" + name + "': count must be at least 1, got " + count);
    }
    if (kind == Kind.LEVEL) {
      throw new IllegalStateException(
          "interrupt '" + name + "' is level-triggered: use assertLine()/deassertLine()");
    }
    if (message < 0 || message >= requested) {
      throw new IllegalArgumentException(
          "interrupt '" + name + "' has messages 0.." + (requested - 1) + ", not " + message);
    }
    sources.get(message).raise(count);
  }

  /** Asserts a level-triggered line; it interrupts until {@link #deassertLine()}. */
  public void assertLine() {
    requireLevel();
    asserted = true;
    sources.get(0).raise(1);
  }

  /** De-asserts a level-triggered line: what the device does when the ISR clears its cause. */
  public void deassertLine() {
    requireLevel();
    asserted = false;
  }

  public boolean isAsserted() {
    return asserted;
  }

  /** Whether the interrupt (message 0 for MSI) is connected to an interrupt object. */
  public boolean isConnected() {
    return sources.get(0).sink != null;
  }

  /** Signals raised while no interrupt object was connected. */
  public long lostSignals() {
    return lost.get();
  }

  private void requireLevel() {
    if (kind != Kind.LEVEL) {
      throw new IllegalStateException("interrupt '" + name + "' is not level-triggered");
    }
  }

  /**
   * The source behind one resource (one message of an MSI interrupt).
   *
   * <p><b>Raise against disconnect.</b> A raise that finds a sink counts itself in {@link #raising}
   * (a full fence), reads the sink again and delivers to what it read then, or counts the signal
   * lost if that is nothing; then it counts itself out. A disconnect clears the sink (volatile
   * store) and then waits until {@code raising} reads zero. Both sides store and then load the
   * other's variable, all volatile: either the disconnect sees the raise counted in and waits for
   * it to finish delivering, or the raise's second read comes after the clear and finds nothing
   * (or, if the disconnect has returned and a connect followed, the next connection's sink; never
   * the cleared one). A raise that starts once the sink is cleared stops at its first read and
   * never counts itself in, so raises on other threads cannot keep the disconnect waiting: it
   * waits at most for those that read the sink before it was cleared. The count is non-zero only
   * for the length of an {@link InterruptSink#signal} (which never blocks), so the wait spins
   * briefly and then parks in growing steps rather than having raises wake it, which would cost
   * every raise a read.
   */
  private final class Source implements InterruptSource {
    private volatile InterruptSink sink;

    /** Raises between counting themselves in and out (see the class comment). */
    @SuppressWarnings("unused") // through RAISING
    private volatile int raising;

    void raise(long count) {
      if (sink == null) {
        lost.addAndGet(count); // disconnected, or a disconnect began: it does not wait for this
        return;
      }
      RAISING.getAndAdd(this, 1); // full fence: counted in before the sink is read again
      try {
        InterruptSink connected = sink; // this read decides; see the class comment
        if (connected == null) {
          lost.addAndGet(count);
        } else {
          connected.signal(count);
        }
      } finally {
        // Release: a disconnect that reads the count back to zero sees the delivery.
        RAISING.getAndAddRelease(this, -1);
      }
    }

    @Override
    public void connect(InterruptSink sink) {
      this.sink = sink;
      if (kind == Kind.LEVEL && asserted) {
        sink.signal(1);
      }
    }

    /**
     * Clears the sink, then waits until every raise that read it has delivered: after this
     * returns, the sink is not called again. Not from inside the sink's {@code signal}, which would
     * wait for itself.
     */
    @Override
    public void disconnect() {
      sink = null; // volatile store, then the count is read: see the class comment
      if ((int) RAISING.getVolatile(this) != 0) {
        awaitRaises();
      }
    }

    private void awaitRaises() {
      int spins = 0;
      long parkNanos = FIRST_PARK_NANOS;
      boolean interrupted = false;
      while ((int) RAISING.getVolatile(this) != 0) {
        if (spins < DISCONNECT_SPINS) {
          spins++;
          Thread.onSpinWait();
        } else {
          LockSupport.parkNanos(this, parkNanos);
          parkNanos = Math.min(parkNanos << 1, MAX_PARK_NANOS);
          // Not interruptible: a pending interrupt would make every park return at once.
          interrupted |= Thread.interrupted();
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void afterIsr(boolean claimed) {
      // A level line still asserted after the ISR interrupts again.
      if (kind == Kind.LEVEL && asserted) {
        raise(1);
      }
    }
  }
}
