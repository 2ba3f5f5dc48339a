package dev.udriver.runtime.sim;

import dev.udriver.runtime.hardware.GrantedInterrupt;
import dev.udriver.runtime.hardware.InterruptResource;
import dev.udriver.runtime.hardware.InterruptSink;
import dev.udriver.runtime.hardware.InterruptSource;
import dev.udriver.runtime.internal.Membarrier;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

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
  private final Source[] sources;
  private final AtomicLong lost = new AtomicLong();
  private volatile boolean asserted;
  /** Whether raises count themselves in with plain stores (see {@link Source}). */
  private final boolean asymmetric;

  /** {@link Source#raising}. */
  private static final VarHandle RAISING;

  /** {@link RaiseSlot#depth}. */
  private static final VarHandle DEPTH;

  private static final RaiseSlot[] NO_SLOTS = {};

  /** Spins of a disconnect waiting for a raise still delivering, before it parks. */
  private static final int DISCONNECT_SPINS = 256;

  /** First timed park of that wait: a raise still delivering after the spins was preempted. */
  private static final long FIRST_PARK_NANOS = 10_000;

  /** Longest timed park of that wait; parks double up to it. */
  private static final long MAX_PARK_NANOS = 1_000_000;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      RAISING = lookup.findVarHandle(Source.class, "raising", int.class);
      DEPTH = lookup.findVarHandle(RaiseSlot.class, "depth", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  SimulatedInterrupt(String name, Kind kind, boolean shareable, int requested, int granted) {
    this(name, kind, shareable, requested, granted, Membarrier.isAvailable());
  }

  /**
   * @param asymmetric raises count themselves in with plain stores and a disconnect runs a
   *     membarrier; false: with atomic read-modify-writes (see {@link Source}). Tests choose.
   */
  SimulatedInterrupt(
      String name, Kind kind, boolean shareable, int requested, int granted, boolean asymmetric) {
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
    this.asymmetric = asymmetric;
    this.sources = new Source[requested];
    for (int message = 0; message < requested; message++) {
      sources[message] = new Source();
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
      grants.add(new GrantedInterrupt(resource, sources[i]));
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
    if (count < 1 || kind == Kind.LEVEL || message < 0 || message >= requested) {
      throw refusedFire(message, count);
    }
    sources[message].raise(count);
  }

  /** Why {@link #fire(int, long)} refuses; out of line, so that the fire inlines where it is used. */
  private RuntimeException refusedFire(int message, long count) {
    if (count < 1) {
      return new IllegalArgumentException("interrupt '" + name + "': count must be at least 1, got " + count);
    }
    if (kind == Kind.LEVEL) {
      return new IllegalStateException(
          "interrupt '" + name + "' is level-triggered: use assertLine()/deassertLine()");
    }
    return new IllegalArgumentException(
        "interrupt '" + name + "' has messages 0.." + (requested - 1) + ", not " + message);
  }

  /** Asserts a level-triggered line; it interrupts until {@link #deassertLine()}. */
  public void assertLine() {
    requireLevel();
    asserted = true;
    sources[0].raise(1);
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
    return sources[0].sink != null;
  }

  /** Signals raised while no interrupt object was connected. */
  public long lostSignals() {
    return lost.get();
  }

  /** Whether raises count themselves in per thread, with a membarrier on disconnect (tests). */
  boolean countsRaisesPerThread() {
    return asymmetric;
  }

  /** The slots of threads that raised message {@code message} (tests). */
  int raiseSlots(int message) {
    return sources[message].slots.length;
  }

  private void requireLevel() {
    if (kind != Kind.LEVEL) {
      throw new IllegalStateException("interrupt '" + name + "' is not level-triggered");
    }
  }

  /**
   * One thread's count of the raises it is making on one {@link Source}: written by that thread
   * only, read by a disconnect. Padded, so that two threads raising the same source do not write
   * one cache line.
   */
  @SuppressWarnings("unused")
  private static final class RaiseSlot {
    long p1, p2, p3, p4, p5, p6, p7;

    /**
     * The thread this slot counts; written under the source's monitor, when the slot is made or
     * taken over from a thread that ended. Only that thread finds itself here.
     */
    Thread thread;

    /** Raises of {@link #thread} between counting themselves in and out (nested ones included). */
    volatile int depth;

    long q1, q2, q3, q4, q5, q6, q7;

    RaiseSlot(Thread thread) {
      this.thread = thread;
    }
  }

  /**
   * The source behind one resource (one message of an MSI interrupt).
   *
   * <p><b>Raise against disconnect.</b> A raise that finds a sink counts itself in, reads the sink
   * again and delivers to what it read then, or counts the signal lost if that is nothing; then it
   * counts itself out. A disconnect clears the sink (volatile store) and then waits until no raise
   * is counted in. Both sides store and then load the other's variable (Dekker's pattern): either
   * the disconnect sees the raise counted in and waits for it to finish delivering, or the raise's
   * second read comes after the clear and finds nothing (or, if the disconnect has returned and a
   * connect followed, the next connection's sink; never the cleared one). A raise that starts once
   * the sink is cleared stops at its first read and never counts itself in, so raises on other
   * threads cannot keep the disconnect waiting: it waits at most for those that read the sink
   * before it was cleared. A count is non-zero only for the length of an {@link
   * InterruptSink#signal} (which never blocks), so the wait spins briefly and then parks in growing
   * steps rather than having raises wake it, which would cost every raise a read.
   *
   * <p><b>Where the StoreLoad barrier is.</b> Where {@link Membarrier} is available, a raise counts
   * itself in with a plain (opaque) store to its own thread's {@link RaiseSlot} and out with a
   * release store: no locked instruction, the raise being the frequent side. The disconnect pays
   * instead: between its clear and its reads of the slots it runs {@code membarrier(2)}, which
   * executes a full barrier on every running thread of the process at some instant T inside the
   * call, after the clear is visible everywhere (threads not running pass one as they are switched
   * out). A raise whose count-in store came before T in its program order has it drained by the
   * barrier, and the disconnect reads it; one whose store came after T reads the sink again after
   * T and finds it cleared. The store and that read stay in program order in the compiled code
   * (HotSpot does not move an acquire load above an opaque store), as in {@code InterruptLock}'s
   * biased path, which rests on the same argument. A slot made by the raise itself is published
   * (volatile store of the array) before its count-in, so the barrier drains both. Without
   * membarrier each raise counts itself in and out of one shared count with atomic
   * read-modify-writes ({@link #raising}): the first a full fence, the second a release.
   */
  private final class Source implements InterruptSource {
    private volatile InterruptSink sink;

    /** Without membarrier: raises between counting themselves in and out (see above). */
    @SuppressWarnings("unused") // through RAISING
    private volatile int raising;

    /** With membarrier: one slot per thread that raised here (see above); copied on write. */
    private volatile RaiseSlot[] slots = NO_SLOTS;

    void raise(long count) {
      if (sink == null) {
        lost(count); // disconnected, or a disconnect began: it does not wait for this
        return;
      }
      if (!asymmetric) {
        raiseCountedAtomically(count);
        return;
      }
      RaiseSlot slot = slotOf(Thread.currentThread());
      int depth = (int) DEPTH.getOpaque(slot); // this thread's own: nobody else writes it
      DEPTH.setOpaque(slot, depth + 1); // counted in; the disconnect's membarrier orders it
      try {
        deliver(count);
      } finally {
        // Release: a disconnect that reads the slot back to zero sees the delivery.
        DEPTH.setRelease(slot, depth);
      }
    }

    /** Counted in: delivers to the sink as read now (this read decides; see the class comment). */
    private void deliver(long count) {
      InterruptSink connected = sink;
      if (connected == null) {
        lost(count);
      } else {
        connected.signal(count);
      }
    }

    private void lost(long count) {
      lost.addAndGet(count);
    }

    /** The raise without membarrier: one shared count, two atomic read-modify-writes. */
    private void raiseCountedAtomically(long count) {
      RAISING.getAndAdd(this, 1); // full fence: counted in before the sink is read again
      try {
        deliver(count);
      } finally {
        // Release: a disconnect that reads the count back to zero sees the delivery.
        RAISING.getAndAddRelease(this, -1);
      }
    }

    /** The calling thread's slot: found among the few threads that raise here, or made. */
    private RaiseSlot slotOf(Thread thread) {
      for (RaiseSlot slot : slots) {
        if (slot.thread == thread) {
          return slot;
        }
      }
      return addSlot(thread);
    }

    /**
     * Makes the calling thread's slot, or takes over the slot of a thread that ended (its count is
     * zero: it counted out before it ended), so that threads that come and go do not grow the
     * array. Published before the caller counts in: see the class comment.
     */
    private synchronized RaiseSlot addSlot(Thread thread) {
      RaiseSlot[] current = slots;
      for (RaiseSlot slot : current) {
        if (slot.thread == thread) {
          return slot;
        }
      }
      for (RaiseSlot slot : current) {
        if (!slot.thread.isAlive() && slot.depth == 0) {
          slot.thread = thread;
          slots = current; // volatile store: publishes the new owner like a new slot
          return slot;
        }
      }
      RaiseSlot added = new RaiseSlot(thread);
      RaiseSlot[] grown = Arrays.copyOf(current, current.length + 1);
      grown[current.length] = added;
      slots = grown;
      return added;
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
      sink = null; // volatile store, then the counts are read: see the class comment
      if (asymmetric) {
        Membarrier.barrier();
        for (RaiseSlot slot : slots) {
          if ((int) DEPTH.getVolatile(slot) != 0) {
            awaitZero(() -> (int) DEPTH.getVolatile(slot));
          }
        }
      } else if ((int) RAISING.getVolatile(this) != 0) {
        awaitZero(() -> (int) RAISING.getVolatile(this));
      }
    }

    private void awaitZero(IntSupplier count) {
      int spins = 0;
      long parkNanos = FIRST_PARK_NANOS;
      boolean interrupted = false;
      while (count.getAsInt() != 0) {
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
