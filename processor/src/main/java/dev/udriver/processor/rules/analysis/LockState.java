package dev.udriver.processor.rules.analysis;

import com.sun.source.tree.Tree;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Element;

/**
 * The locks (interrupt locks and the device lock, told apart by {@link LockKey#device()}) a method
 * itself holds at one program point on one path (locks the framework holds for a callback are not
 * in it, except the device lock of an automatically serialized work item, which the work item may
 * release and take again), as an immutable value passed down the analysis: the locks held with the
 * call that took each, the locks whose {@code tryToAcquireInterruptLock()} returned false on this
 * path, the boolean locals known to carry a try result, and the boolean locals (flags) known to
 * hold {@code true} or {@code false} on this path.
 *
 * <p>A class rather than a record so that it can keep its hash: states are hashed in every set the
 * analysis builds, almost all of them the entry state, whose empty maps would otherwise be
 * iterated for each hash.
 */
public final class LockState {

  /** Nothing held: a method's entry. */
  public static final LockState ENTRY = new LockState(Map.of(), Set.of(), Map.of(), Map.of());

  private final Map<LockKey, Tree> held;
  private final Set<LockKey> failedTries;
  private final Map<Element, LockKey> tryResults;
  private final Map<Element, Boolean> flags;
  private final int hash;

  /**
   * @param held each held lock and the call that acquired it
   * @param failedTries locks whose try-acquire returned false on this path and were not taken
   *     since
   * @param tryResults boolean locals assigned a try result: true exactly when the lock is held
   */
  public LockState(
      Map<LockKey, Tree> held, Set<LockKey> failedTries, Map<Element, LockKey> tryResults) {
    this(held, failedTries, tryResults, Map.of());
  }

  /**
   * @param held each held lock and the call that acquired it
   * @param failedTries locks whose try-acquire returned false on this path and were not taken
   *     since
   * @param tryResults boolean locals assigned a try result: true exactly when the lock is held
   * @param flags boolean locals whose value is known on this path
   */
  public LockState(
      Map<LockKey, Tree> held,
      Set<LockKey> failedTries,
      Map<Element, LockKey> tryResults,
      Map<Element, Boolean> flags) {
    this(
        new LinkedHashMap<>(held),
        new LinkedHashSet<>(failedTries),
        new LinkedHashMap<>(tryResults),
        new LinkedHashMap<>(flags),
        true);
  }

  /**
   * Takes the collections as they are: the caller made them and keeps no reference, or they are
   * another state's, unmodifiable already.
   */
  private LockState(
      Map<LockKey, Tree> held,
      Set<LockKey> failedTries,
      Map<Element, LockKey> tryResults,
      Map<Element, Boolean> flags,
      boolean owned) {
    this.held = Collections.unmodifiableMap(held);
    this.failedTries = Collections.unmodifiableSet(failedTries);
    this.tryResults = Collections.unmodifiableMap(tryResults);
    this.flags = Collections.unmodifiableMap(flags);
    this.hash =
        ((31 * held.hashCode() + failedTries.hashCode()) * 31 + tryResults.hashCode()) * 31
            + flags.hashCode();
  }

  /** Each held lock and the call that acquired it. */
  public Map<LockKey, Tree> held() {
    return held;
  }

  /** Locks whose try-acquire returned false on this path and were not taken since. */
  public Set<LockKey> failedTries() {
    return failedTries;
  }

  /** Boolean locals assigned a try result: true exactly when the lock is held. */
  public Map<Element, LockKey> tryResults() {
    return tryResults;
  }

  /** Boolean locals (and parameters) whose value on this path is known: the flags. */
  public Map<Element, Boolean> flags() {
    return flags;
  }

  /** Whether the state knows anything of a local variable: a try result or a flag's value. */
  boolean knowsLocals() {
    return !tryResults.isEmpty() || !flags.isEmpty();
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof LockState)) {
      return false;
    }
    LockState that = (LockState) other;
    return hash == that.hash
        && held.equals(that.held)
        && failedTries.equals(that.failedTries)
        && tryResults.equals(that.tryResults)
        && flags.equals(that.flags);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "LockState[held=" + held + ", failedTries=" + failedTries + ", tryResults="
        + tryResults + ", flags=" + flags + "]";
  }

  public boolean holds(LockKey key) {
    return !held.isEmpty() && held.containsKey(key);
  }

  /** Whether an interrupt lock is held (the device lock does not count). */
  public boolean holdsAny() {
    if (held.isEmpty()) {
      return false;
    }
    for (LockKey key : held.keySet()) {
      if (!key.device()) {
        return true;
      }
    }
    return false;
  }

  /** Whether the device lock is held. */
  public boolean holdsDevice() {
    return !held.isEmpty() && held.containsKey(LockKey.DEVICE);
  }

  // The transitions below share the collections they leave as they are: each is unmodifiable
  // (Collections.unmodifiable* returns such a collection as it is) and never changed.

  LockState acquire(LockKey key, Tree site) {
    if (held.containsKey(key)) {
      return this;
    }
    Map<LockKey, Tree> h = new LinkedHashMap<>(held);
    h.put(key, site);
    Set<LockKey> f = failedTries;
    if (failedTries.contains(key)) {
      f = new LinkedHashSet<>(failedTries);
      f.remove(key);
    }
    if (!tryResults.containsValue(key)) {
      return new LockState(h, f, tryResults, flags, true);
    }
    Map<Element, LockKey> t = new LinkedHashMap<>(tryResults);
    Map<Element, Boolean> v = new LinkedHashMap<>(flags);
    settle(key, t, v, false);
    return new LockState(h, f, t, v, true);
  }

  LockState release(LockKey key) {
    if (!held.containsKey(key) && !tryResults.containsValue(key)) {
      return this;
    }
    Map<LockKey, Tree> h = held;
    if (held.containsKey(key)) {
      h = new LinkedHashMap<>(held);
      h.remove(key);
    }
    if (!tryResults.containsValue(key)) {
      return new LockState(h, failedTries, tryResults, flags, true);
    }
    Map<Element, LockKey> t = new LinkedHashMap<>(tryResults);
    Map<Element, Boolean> v = new LinkedHashMap<>(flags);
    settle(key, t, v, held.containsKey(key));
    return new LockState(h, failedTries, t, v, true);
  }

  /**
   * The lock {@code key} changes hands, so a try result on it no longer tells whether it is held:
   * the local keeps the value it had, true exactly when the lock was held before the change.
   */
  private static void settle(
      LockKey key, Map<Element, LockKey> tryResults, Map<Element, Boolean> flags, boolean wasHeld) {
    tryResults
        .entrySet()
        .removeIf(
            entry -> {
              if (!entry.getValue().equals(key)) {
                return false;
              }
              flags.put(entry.getKey(), wasHeld);
              return true;
            });
  }

  LockState failedTry(LockKey key) {
    if (failedTries.contains(key)) {
      return this;
    }
    Set<LockKey> f = new LinkedHashSet<>(failedTries);
    f.add(key);
    return new LockState(held, f, tryResults, flags, true);
  }

  LockState withTryResult(Element variable, LockKey key) {
    Map<Element, LockKey> t = new LinkedHashMap<>(tryResults);
    t.put(variable, key);
    Map<Element, Boolean> v = flags;
    if (flags.containsKey(variable)) {
      v = new LinkedHashMap<>(flags);
      v.remove(variable);
    }
    return new LockState(held, failedTries, t, v, true);
  }

  /** The state with {@code variable} known to hold {@code value}, and no try result. */
  LockState withFlag(Element variable, boolean value) {
    Boolean known = flags.get(variable);
    if (known != null && known == value) {
      return this;
    }
    Map<Element, LockKey> t = tryResults;
    if (tryResults.containsKey(variable)) {
      t = new LinkedHashMap<>(tryResults);
      t.remove(variable);
    }
    Map<Element, Boolean> v = new LinkedHashMap<>(flags);
    v.put(variable, value);
    return new LockState(held, failedTries, t, v, true);
  }

  /** The state knowing nothing of {@code variable}: it was assigned a value not followed. */
  LockState forget(Element variable) {
    if (!tryResults.containsKey(variable) && !flags.containsKey(variable)) {
      return this;
    }
    Map<Element, LockKey> t = tryResults;
    if (tryResults.containsKey(variable)) {
      t = new LinkedHashMap<>(tryResults);
      t.remove(variable);
    }
    Map<Element, Boolean> v = flags;
    if (flags.containsKey(variable)) {
      v = new LinkedHashMap<>(flags);
      v.remove(variable);
    }
    return new LockState(held, failedTries, t, v, true);
  }

  /** The state without the flags' values: what the analysis knew before it followed flags. */
  LockState withoutFlags() {
    if (flags.isEmpty()) {
      return this;
    }
    return new LockState(held, failedTries, tryResults, Map.of(), true);
  }
}
