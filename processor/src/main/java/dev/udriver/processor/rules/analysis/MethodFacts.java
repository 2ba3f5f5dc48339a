package dev.udriver.processor.rules.analysis;

import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.SynchronizedTree;
import com.sun.source.tree.Tree;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;

/**
 * What the lock-flow analysis found in one method body: every call with the lock states reaching
 * it, the {@code synchronized} blocks, the locks still held on a way out, and the returned values.
 * Facts only; the rules decide what is wrong.
 *
 * @param method the method
 * @param tree its declaration
 * @param calls every call and method reference, in source order
 * @param synchronizedBlocks every {@code synchronized} statement with the lock states reaching it
 * @param leaks every lock acquired in the method that a way out still holds
 * @param returns the expressions of the method's own {@code return} statements
 */
public record MethodFacts(
    ExecutableElement method,
    MethodTree tree,
    List<CallSite> calls,
    List<SyncSite> synchronizedBlocks,
    List<Leak> leaks,
    List<ExpressionTree> returns) {

  public MethodFacts {
    calls = List.copyOf(calls);
    synchronizedBlocks = List.copyOf(synchronizedBlocks);
    leaks = List.copyOf(leaks);
    returns = List.copyOf(returns);
  }

  /**
   * A {@code synchronized} statement.
   *
   * @param tree the statement
   * @param before the method's own lock states reaching it
   * @param deferred whether it sits in code that may run later on another thread
   */
  public record SyncSite(SynchronizedTree tree, Set<LockState> before, boolean deferred) {}

  /**
   * A lock still held on a way out of the method.
   *
   * @param acquiredAt the call that took it
   * @param key the interrupt
   * @param thrower where an exception leaves the method with the lock held; empty for a return
   */
  public record Leak(Tree acquiredAt, LockKey key, Optional<Tree> thrower) {}
}
