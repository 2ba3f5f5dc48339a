package dev.udriver.runtime.sim;

import dev.udriver.runtime.hardware.GrantedInterrupt;
import dev.udriver.runtime.hardware.InterruptResource;
import dev.udriver.runtime.hardware.InterruptSink;
import dev.udriver.runtime.hardware.InterruptSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The interrupt resources a {@link SimulatedHardware} declares under one name, and the controls a
 * test uses to raise them from any thread: {@link #fire()} for an edge or a message, {@link
 * #assertLine()} / {@link #deassertLine()} for a level-triggered line.
 *
 * <p>A signal raised while the interrupt is not connected is lost, as on hardware whose interrupt
 * is disabled, and counted in {@link #lostSignals()}. A level line that is asserted when it is
 * connected interrupts at once.
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
    if (kind == Kind.LEVEL) {
      throw new IllegalStateException(
          "interrupt '" + name + "' is level-triggered: use assertLine()/deassertLine()");
    }
    if (message < 0 || message >= requested) {
      throw new IllegalArgumentException(
          "interrupt '" + name + "' has messages 0.." + (requested - 1) + ", not " + message);
    }
    sources.get(message).raise(1);
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

  /** The source behind one resource (one message of an MSI interrupt). */
  private final class Source implements InterruptSource {
    private volatile InterruptSink sink;

    void raise(long count) {
      InterruptSink connected = sink;
      if (connected == null) {
        lost.addAndGet(count);
      } else {
        connected.signal(count);
      }
    }

    @Override
    public void connect(InterruptSink sink) {
      this.sink = sink;
      if (kind == Kind.LEVEL && asserted) {
        sink.signal(1);
      }
    }

    @Override
    public void disconnect() {
      sink = null;
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
