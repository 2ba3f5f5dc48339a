package dev.udriver.processor.rules.analysis;

import com.sun.source.tree.Tree;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;

/**
 * One call (or method reference) in a method body, with the lock states that reach it.
 *
 * @param tree the invocation, {@code new} expression or method reference
 * @param callee the resolved method, if javac resolved one
 * @param op what the call does to the interrupt or the device lock, if it is such an API call
 * @param key the lock the API call works on ({@link LockKey#UNKNOWN} otherwise)
 * @param before the method's own lock states just before the call; empty where unreachable or
 *     deferred
 * @param deferred whether the call sits in a lambda, method reference or local class that may run
 *     later on another thread, so that no lock and no context of the method carries over to it
 * @param tryUse for a try-acquire, how its result is used
 */
public record CallSite(
    Tree tree,
    Optional<ExecutableElement> callee,
    Optional<InterruptApi.Op> op,
    LockKey key,
    Set<LockState> before,
    boolean deferred,
    TryUse tryUse) {

  /** How the result of a {@code tryToAcquireInterruptLock()} call is used. */
  public enum TryUse {
    /** Not a try-acquire. */
    NONE,
    /** Directly as a branch condition ({@code if}, loop, {@code ?:}, possibly negated). */
    CONDITION,
    /** Stored in a boolean local whose value the analysis follows. */
    LOCAL,
    /** Thrown away. */
    IGNORED,
    /** Anything else: passed on, stored in a field, combined. */
    OTHER
  }

  /** Whether some path reaching the call holds {@code lock}. */
  public boolean mayHold(LockKey lock) {
    for (LockState state : before) {
      if (state.holds(lock)) {
        return true;
      }
    }
    return false;
  }

  /** Whether some path reaching the call holds an interrupt lock. */
  public boolean mayHoldAny() {
    for (LockState state : before) {
      if (state.holdsAny()) {
        return true;
      }
    }
    return false;
  }

  /** Whether some path reaching the call holds the device lock. */
  public boolean mayHoldDevice() {
    for (LockState state : before) {
      if (state.holdsDevice()) {
        return true;
      }
    }
    return false;
  }

  /** Whether every path reaching the call holds an interrupt lock (false if none reaches it). */
  public boolean mustHoldAny() {
    if (before.isEmpty()) {
      return false;
    }
    for (LockState state : before) {
      if (!state.holdsAny()) {
        return false;
      }
    }
    return true;
  }
}
