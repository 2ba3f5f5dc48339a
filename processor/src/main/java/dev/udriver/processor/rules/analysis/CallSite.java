package dev.udriver.processor.rules.analysis;

import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.Name;

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

  /**
   * Whether the callee runs on the caller's own instance: a static method, or an instance method
   * called without a receiver or on {@code this} or {@code super}. A call on another object ({@code
   * peer.helper()}, {@code peer::helper}, {@code new Driver()}) works on that object's interrupts
   * and device, not the caller's.
   */
  public boolean onThisInstance() {
    if (callee.isPresent() && callee.get().getModifiers().contains(Modifier.STATIC)) {
      return true;
    }
    if (tree instanceof MethodInvocationTree) {
      ExpressionTree select = ((MethodInvocationTree) tree).getMethodSelect();
      return !(select instanceof MemberSelectTree)
          || isThis(((MemberSelectTree) select).getExpression());
    }
    if (tree instanceof MemberReferenceTree) {
      return isThis(((MemberReferenceTree) tree).getQualifierExpression());
    }
    return false;
  }

  /** Whether an expression is {@code this} or {@code super}, qualified or not. */
  static boolean isThis(ExpressionTree expression) {
    ExpressionTree e = expression;
    while (e instanceof ParenthesizedTree) {
      e = ((ParenthesizedTree) e).getExpression();
    }
    Name name;
    if (e instanceof IdentifierTree) {
      name = ((IdentifierTree) e).getName();
    } else if (e instanceof MemberSelectTree) {
      name = ((MemberSelectTree) e).getIdentifier();
    } else {
      return false;
    }
    return name.contentEquals("this") || name.contentEquals("super");
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
