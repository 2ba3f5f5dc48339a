package dev.udriver.processor.rules.analysis;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.InstanceOfTree;
import com.sun.source.tree.LabeledStatementTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchExpressionTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.SynchronizedTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.tree.YieldTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Name;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.UnionType;
import javax.lang.model.util.Types;

/**
 * The intraprocedural lock analysis: a path-sensitive abstract interpretation of one method body
 * over sets of {@link LockState}s, following the structure of the syntax tree (the shape of SDV's
 * WdfInterruptLock state machine, evaluated on every path).
 *
 * <p>Paths include exceptional ones: every call that is not an interrupt API call or a getter
 * ({@link #cannotThrow}), every {@code new} and every {@code throw} may leave the block, to the
 * enclosing {@code catch} and {@code finally} clauses or out of the method. Try-with-resources
 * releases a {@code lock()} handle on every way out of its block. A {@code
 * tryToAcquireInterruptLock()} splits the state: held where it returned true, a failed try where
 * it returned false; conditions on the call or on a boolean local holding its result pick the
 * matching states. Boolean locals and parameters used as flags are followed too:
 * a state knows the value a flag was last given on its path when that was the literal {@code
 * true} or {@code false} (or another followed local), and a condition on the flag ({@code if
 * (locked)}, {@code !locked}, {@code locked && ..}, {@code locked == true}) picks the states where
 * it can hold, so that {@code if (c) { acquire(); locked = true; } .. if (locked) release();} is
 * balanced. A constant ({@code static final boolean SHARED = true}) counts as its literal. Any
 * other value makes the flag unknown: a condition on it takes both branches, and each branch keeps
 * the value it assumed until the flag is assigned again, so that {@code boolean needLock = n > 0;
 * if (needLock) acquire(); .. if (needLock) release();} is balanced too. Java lets no lambda or
 * local class assign a local, so every assignment is in the body walked. Flags are followed only
 * in methods that call a lock method, and a join of more than {@link #MAX_STATES} states drops the
 * flags' values.
 *
 * <p>The lambda given to {@code synchronize} runs in place with the lock held, and a method
 * reference given to it is a call made there. Lambdas and method references given to JDK methods
 * that run them during the call ({@link InPlaceApi}: {@code forEach}, streams, {@code Optional},
 * {@code computeIfAbsent}, ..) run in place too, with the states at the call, zero or more times.
 * Other lambdas, method references and local classes may run later on any thread and are only
 * scanned for calls ({@link CallSite#deferred()}).
 *
 * <p>The device lock ({@code Device.acquireLock()}, {@code lock()}, {@code synchronize(..)}) flows
 * the same way as one more lock, {@link LockKey#DEVICE}: one key whatever expression names the
 * device, since a driver serves one device.
 *
 * <p>Heuristics, stated: array accesses, field accesses and arithmetic are not treated as throwing;
 * a {@code catch} of {@code RuntimeException} or a supertype catches every exception the analysis
 * models; aliasing of {@code Interrupt} variables is not followed; loops are iterated to a fixed
 * point (capped, the state space being small and finite).
 */
public final class LockFlow {

  private static final int MAX_ITERATIONS = 16;

  /**
   * The most states a join may yield before the flags' values are dropped from them: without
   * flags a method has a handful of states (held locks and try results), each flag that tells
   * held locks apart can double them (the others merge at joins), and dropping the flags merges
   * them back, so the work per statement stays bounded.
   */
  static final int MAX_STATES = 32;

  /** Methods whose calls make flags worth following (see {@link #followsFlags()}). */
  private static final Set<String> LOCK_METHODS =
      Set.of(
          "acquireInterruptLock",
          "releaseInterruptLock",
          "tryToAcquireInterruptLock",
          "acquireLock",
          "releaseLock",
          "close");

  private final Trees trees;
  private final Types types;
  private final TypeMirror runtimeException;
  private final Optional<InterruptApi> api;
  private final InPlaceApi inPlaceApi;
  /** The driver's methods that only return a field ({@link #isGetter}). */
  private final Set<ExecutableElement> getters;
  private final boolean contextLocked;
  /**
   * The method's path: the parent of every path the analysis asks javac for an element with.
   * Javac resolves an element from the path's leaf alone once the class is attributed (only a
   * missing symbol makes it look up the path), so one path per lookup replaces one per tree.
   */
  private final TreePath methodPath;

  private final Map<Tree, CallAcc> calls = new LinkedHashMap<>();
  private final Map<SynchronizedTree, Set<LockState>> syncs = new LinkedHashMap<>();
  private final Map<SynchronizedTree, Boolean> syncDeferred = new LinkedHashMap<>();
  private final Map<Element, LockKey> handles = new HashMap<>();
  private final Set<ExpressionTree> returns = new LinkedHashSet<>();
  private final Deque<Target> targets = new ArrayDeque<>();
  private Name pendingLabel;
  private Boolean followsFlags;
  private int lambdaDepth;
  private Exits exits = new Exits();

  private LockFlow(
      Trees trees,
      Types types,
      TypeMirror runtimeException,
      Optional<InterruptApi> api,
      InPlaceApi inPlaceApi,
      Set<ExecutableElement> getters,
      TreePath methodPath,
      boolean contextLocked) {
    this.getters = getters;
    this.trees = trees;
    this.types = types;
    this.runtimeException = runtimeException;
    this.api = api;
    this.inPlaceApi = inPlaceApi;
    this.methodPath = methodPath;
    this.contextLocked = contextLocked;
  }

  /**
   * Analyses one method.
   *
   * @param contextLocked whether the interrupt lock is held when the method starts (ISR, enable,
   *     disable, {@code @HoldsInterruptLock}): a try-acquire there always fails
   * @param initializers the field initializers and initializer blocks of the class, analysed as
   *     the start of one of its constructors; empty for every other method
   * @param bindings boolean parameters known to hold a value on entry (a call passes a constant)
   * @param deviceLockedByFramework whether the framework holds the device lock when the method
   *     starts (a work item with automatic serialization): the flow starts with it held, acquired
   *     at the method's declaration, so that a release and a later acquire follow it
   */
  public static MethodFacts analyze(
      Trees trees,
      Types types,
      TypeMirror runtimeException,
      Optional<InterruptApi> api,
      InPlaceApi inPlaceApi,
      Set<ExecutableElement> getters,
      ExecutableElement method,
      TreePath methodPath,
      List<Tree> initializers,
      Map<Element, Boolean> bindings,
      boolean deviceLockedByFramework,
      boolean contextLocked) {
    LockFlow flow =
        new LockFlow(
            trees, types, runtimeException, api, inPlaceApi, getters, methodPath, contextLocked);
    MethodTree tree = (MethodTree) methodPath.getLeaf();
    List<MethodFacts.Leak> leaks = new ArrayList<>();
    if (tree.getBody() != null) {
      LockState entry =
          deviceLockedByFramework ? LockState.ENTRY.acquire(LockKey.DEVICE, tree) : LockState.ENTRY;
      for (Map.Entry<Element, Boolean> binding : bindings.entrySet()) {
        entry = entry.withFlag(binding.getKey(), binding.getValue());
      }
      Set<LockState> states = Set.of(entry);
      // A constructor runs the class's field initializers and initializer blocks.
      for (Tree initializer : initializers) {
        states =
            initializer instanceof VariableTree
                ? flow.expr(((VariableTree) initializer).getInitializer(), states)
                : flow.stmt(initializer, states);
      }
      Set<LockState> out = flow.stmt(tree.getBody(), states);
      flow.exits.returns.addAll(out);
      leaks = flow.leaks();
    }
    List<CallSite> sites = new ArrayList<>();
    flow.calls.forEach((t, acc) -> sites.add(acc.site(t)));
    List<MethodFacts.SyncSite> syncSites = new ArrayList<>();
    flow.syncs.forEach(
        (t, before) ->
            syncSites.add(new MethodFacts.SyncSite(t, before, flow.syncDeferred.get(t))));
    return new MethodFacts(
        method, tree, sites, syncSites, leaks, new ArrayList<>(flow.returns));
  }

  private List<MethodFacts.Leak> leaks() {
    Map<List<Object>, MethodFacts.Leak> found = new LinkedHashMap<>();
    for (LockState state : exits.returns) {
      state.held().forEach(
          (key, site) ->
              found.putIfAbsent(
                  List.of(site, key), new MethodFacts.Leak(site, key, Optional.empty())));
    }
    exits.thrown.forEach(
        (state, thrower) ->
            state.held().forEach(
                (key, site) ->
                    found.putIfAbsent(
                        List.of(site, key),
                        new MethodFacts.Leak(site, key, Optional.of(thrower)))));
    return new ArrayList<>(found.values());
  }

  // ---------------------------------------------------------------- statements

  private Set<LockState> stmt(Tree s, Set<LockState> in) {
    if (s == null) {
      return in;
    }
    switch (s.getKind()) {
      case BLOCK:
        {
          Set<LockState> states = in;
          for (StatementTree child : ((BlockTree) s).getStatements()) {
            states = stmt(child, states);
          }
          return states;
        }
      case VARIABLE:
        return variable((VariableTree) s, in);
      case EXPRESSION_STATEMENT:
        {
          ExpressionTree e = ((ExpressionStatementTree) s).getExpression();
          if (e.getKind() == Tree.Kind.METHOD_INVOCATION) {
            return invocation((MethodInvocationTree) e, in, CallSite.TryUse.IGNORED).out;
          }
          return expr(e, in);
        }
      case IF:
        {
          IfTree t = (IfTree) s;
          Cond c = cond(t.getCondition(), in);
          Set<LockState> then = stmt(t.getThenStatement(), c.whenTrue);
          Set<LockState> otherwise =
              t.getElseStatement() == null ? c.whenFalse : stmt(t.getElseStatement(), c.whenFalse);
          return union(then, otherwise);
        }
      case WHILE_LOOP:
        {
          WhileLoopTree t = (WhileLoopTree) s;
          return loop(t, in, t.getCondition(), t.getStatement(), List.of(), false);
        }
      case DO_WHILE_LOOP:
        {
          DoWhileLoopTree t = (DoWhileLoopTree) s;
          return loop(t, in, t.getCondition(), t.getStatement(), List.of(), true);
        }
      case FOR_LOOP:
        {
          ForLoopTree t = (ForLoopTree) s;
          Set<LockState> states = in;
          for (StatementTree init : t.getInitializer()) {
            states = stmt(init, states);
          }
          return loop(t, states, t.getCondition(), t.getStatement(), t.getUpdate(), false);
        }
      case ENHANCED_FOR_LOOP:
        {
          EnhancedForLoopTree t = (EnhancedForLoopTree) s;
          Set<LockState> states = expr(t.getExpression(), in);
          return loop(t, states, null, t.getStatement(), List.of(), false);
        }
      case LABELED_STATEMENT:
        {
          LabeledStatementTree t = (LabeledStatementTree) s;
          Tree.Kind kind = t.getStatement().getKind();
          if (kind == Tree.Kind.WHILE_LOOP
              || kind == Tree.Kind.DO_WHILE_LOOP
              || kind == Tree.Kind.FOR_LOOP
              || kind == Tree.Kind.ENHANCED_FOR_LOOP) {
            pendingLabel = t.getLabel();
            return stmt(t.getStatement(), in);
          }
          Target target = new Target(t, t.getLabel(), false, false);
          targets.push(target);
          Set<LockState> out = stmt(t.getStatement(), in);
          targets.pop();
          return union(out, take(exits.breaks, t));
        }
      case SWITCH:
        {
          SwitchTree t = (SwitchTree) s;
          Set<LockState> selected = expr(t.getExpression(), in);
          return cases(t, selected, t.getCases());
        }
      case TRY:
        return tryStatement((TryTree) s, in);
      case SYNCHRONIZED:
        {
          SynchronizedTree t = (SynchronizedTree) s;
          Set<LockState> states = expr(t.getExpression(), in);
          syncs.computeIfAbsent(t, k -> new LinkedHashSet<>()).addAll(states);
          syncDeferred.put(t, false);
          return stmt(t.getBlock(), states);
        }
      case RETURN:
        {
          ReturnTree t = (ReturnTree) s;
          Set<LockState> states = in;
          if (t.getExpression() != null) {
            if (lambdaDepth == 0) {
              returns.add(t.getExpression());
            }
            states = expr(t.getExpression(), states);
          }
          exits.returns.addAll(states);
          return Set.of();
        }
      case THROW:
        {
          Set<LockState> states = expr(((ThrowTree) s).getExpression(), in);
          throwEdge(states, s);
          return Set.of();
        }
      case BREAK:
        {
          Target target = find(((BreakTree) s).getLabel(), false);
          if (target != null) {
            exits.breaks.computeIfAbsent(target.tree, k -> new LinkedHashSet<>()).addAll(in);
          }
          return Set.of();
        }
      case CONTINUE:
        {
          Target target = find(((ContinueTree) s).getLabel(), true);
          if (target != null) {
            exits.continues.computeIfAbsent(target.tree, k -> new LinkedHashSet<>()).addAll(in);
          }
          return Set.of();
        }
      case YIELD:
        {
          Set<LockState> states = expr(((YieldTree) s).getValue(), in);
          Target target = find(null, false);
          if (target != null) {
            exits.breaks.computeIfAbsent(target.tree, k -> new LinkedHashSet<>()).addAll(states);
          }
          return Set.of();
        }
      case CLASS:
        deferred(s);
        return in;
      default:
        return generic(s, in);
    }
  }

  private Set<LockState> variable(VariableTree t, Set<LockState> in) {
    ExpressionTree init = t.getInitializer();
    if (init == null) {
      // Declared again in a loop: what the last iteration knew of it is no longer read.
      return knowsLocals(in) ? forget(in, element(t)) : in;
    }
    Element variable = element(t);
    return assignTo(variable, init, in);
  }

  /**
   * {@code variable = init}: follows try results and lock handles stored in locals, and the
   * literal {@code true} or {@code false} (or a followed local's value) stored in a flag.
   */
  private Set<LockState> assignTo(
      Element variable, ExpressionTree init, Set<LockState> in) {
    boolean local =
        variable != null
            && (variable.getKind() == ElementKind.LOCAL_VARIABLE
                || variable.getKind() == ElementKind.RESOURCE_VARIABLE);
    ExpressionTree value = skipParentheses(init);
    if (isFlag(variable) && followsFlags()) {
      Boolean constant = booleanConstant(value);
      if (constant != null) {
        return bounded(map(in, st -> st.withFlag(variable, constant)));
      }
    }
    if (value.getKind() == Tree.Kind.IDENTIFIER && isFlag(variable) && knowsLocals(in)) {
      Element source = element(value);
      return map(in, st -> copy(st, source, variable));
    }
    if (local && value.getKind() == Tree.Kind.METHOD_INVOCATION) {
      Call call =
          invocation((MethodInvocationTree) value, in, CallSite.TryUse.LOCAL);
      if (call.op == InterruptApi.Op.TRY_ACQUIRE) {
        if (contextLocked) {
          return forget(call.out, variable);
        }
        LockKey key = call.key;
        return union(
            map(call.out, st -> st.acquire(key, value).withTryResult(variable, key)),
            map(call.out, st -> st.failedTry(key).withTryResult(variable, key)));
      }
      if (call.op == InterruptApi.Op.LOCK_HANDLE || call.op == InterruptApi.Op.DEVICE_LOCK_HANDLE) {
        handles.put(variable, call.key);
      }
      return forget(call.out, variable);
    }
    Set<LockState> out = expr(init, in);
    return variable == null ? out : forget(out, variable);
  }

  /**
   * A local or parameter whose value the analysis may follow: Java lets no lambda or local class
   * assign either, so every assignment is one the analysis walks through in place.
   */
  private static boolean isFlag(Element variable) {
    return variable != null
        && (variable.getKind() == ElementKind.LOCAL_VARIABLE
            || variable.getKind() == ElementKind.PARAMETER);
  }

  /**
   * Whether flags are worth following in this method: only if it calls a lock method by name.
   * Decided at the first literal stored in a local, so that a method without one pays nothing,
   * and a method without a lock call does not split its states on flags that guard no lock.
   */
  private boolean followsFlags() {
    if (followsFlags == null) {
      boolean[] found = {false};
      new TreeScanner<Void, Void>() {
        @Override
        public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
          ExpressionTree select = node.getMethodSelect();
          Name name =
              select instanceof MemberSelectTree
                  ? ((MemberSelectTree) select).getIdentifier()
                  : ((IdentifierTree) select).getName();
          if (LOCK_METHODS.contains(name.toString())) {
            found[0] = true;
            return null;
          }
          return super.visitMethodInvocation(node, unused);
        }
      }.scan(methodPath.getLeaf(), null);
      followsFlags = found[0];
    }
    return followsFlags;
  }

  /** {@code target = source} in one state: the source's known value or try result, if any. */
  private static LockState copy(LockState state, Element source, Element target) {
    Boolean value = state.flags().get(source);
    if (value != null) {
      return state.withFlag(target, value);
    }
    LockKey key = state.tryResults().get(source);
    if (key != null) {
      return state.withTryResult(target, key);
    }
    return state.forget(target);
  }

  private Set<LockState> loop(
      Tree loop,
      Set<LockState> in,
      ExpressionTree condition,
      StatementTree body,
      List<? extends ExpressionStatementTree> updates,
      boolean bodyFirst) {
    Target target = new Target(loop, pendingLabel, true, true);
    pendingLabel = null;
    Set<LockState> head = in;
    Exits outer = exits;
    for (int iteration = 0; ; iteration++) {
      Exits inner = new Exits();
      exits = inner;
      targets.push(target);
      Set<LockState> exit;
      Set<LockState> next;
      if (bodyFirst) {
        Set<LockState> out = union(stmt(body, head), take(inner.continues, loop));
        Cond c = cond(condition, out);
        exit = c.whenFalse;
        next = union(in, c.whenTrue);
      } else {
        Cond c = condition == null ? new Cond(head, Set.of()) : cond(condition, head);
        if (loop.getKind() == Tree.Kind.ENHANCED_FOR_LOOP) {
          c = new Cond(head, head);
        }
        Set<LockState> out = union(stmt(body, c.whenTrue), take(inner.continues, loop));
        for (ExpressionStatementTree update : updates) {
          out = stmt(update, out);
        }
        exit = c.whenFalse;
        next = union(in, out);
      }
      targets.pop();
      exits = outer;
      if (next.equals(head) || iteration >= MAX_ITERATIONS) {
        Set<LockState> result = union(exit, take(inner.breaks, loop));
        exits.addAll(inner);
        return result;
      }
      head = next;
    }
  }

  private Set<LockState> cases(
      Tree switchTree, Set<LockState> selected, List<? extends CaseTree> cases) {
    targets.push(new Target(switchTree, null, false, true));
    Set<LockState> out = new LinkedHashSet<>();
    Set<LockState> fall = Set.of();
    boolean hasDefault = false;
    for (CaseTree c : cases) {
      @SuppressWarnings("deprecation")
      boolean isDefault = c.getExpressions().isEmpty();
      hasDefault |= isDefault;
      Set<LockState> caseIn = union(selected, fall);
      if (c.getCaseKind() == CaseTree.CaseKind.RULE) {
        Tree body = c.getBody();
        Set<LockState> r =
            body instanceof ExpressionTree
                ? expr((ExpressionTree) body, caseIn)
                : stmt(body, caseIn);
        out.addAll(r);
        fall = Set.of();
      } else {
        Set<LockState> r = caseIn;
        for (StatementTree statement : c.getStatements()) {
          r = stmt(statement, r);
        }
        fall = r;
      }
    }
    targets.pop();
    out.addAll(fall);
    out.addAll(take(exits.breaks, switchTree));
    if (!hasDefault) {
      out.addAll(selected);
    }
    return bounded(out);
  }

  private Set<LockState> tryStatement(TryTree t, Set<LockState> in) {
    Exits outer = exits;
    Exits inner = new Exits();
    exits = inner;
    Set<LockState> states = in;
    List<LockKey> resourceLocks = new ArrayList<>();
    List<Tree> resourceTrees = new ArrayList<>();
    for (Tree resource : t.getResources()) {
      Element element;
      if (resource instanceof VariableTree) {
        states = variable((VariableTree) resource, states);
        element = element(resource);
      } else {
        // try (held): a handle declared before the statement (Java 9).
        states = expr((ExpressionTree) resource, states);
        ExpressionTree e = skipParentheses((ExpressionTree) resource);
        element =
            e.getKind() == Tree.Kind.IDENTIFIER || e.getKind() == Tree.Kind.MEMBER_SELECT
                ? element(e)
                : null;
      }
      if (element != null && handles.containsKey(element)) {
        resourceLocks.add(0, handles.get(element));
        resourceTrees.add(0, resource);
      }
    }
    states = stmt(t.getBlock(), states);
    // A handle closed in the block already is released a second time by the implicit close: that
    // close is recorded as a release call on the paths where the lock is no longer held.
    for (int i = 0; i < resourceLocks.size(); i++) {
      LockKey key = resourceLocks.get(i);
      Set<LockState> released = new LinkedHashSet<>();
      for (LockState state : union(states, inner.returns)) {
        if (!state.holds(key)) {
          released.add(state);
        }
      }
      if (!released.isEmpty()) {
        record(
            resourceTrees.get(i),
            null,
            released,
            false,
            key.device() ? InterruptApi.Op.DEVICE_HANDLE_CLOSE : InterruptApi.Op.HANDLE_CLOSE,
            key,
            CallSite.TryUse.NONE);
      }
    }
    UnaryOperator<Set<LockState>> close =
        set -> {
          Set<LockState> r = set;
          for (LockKey key : resourceLocks) {
            r = map(r, st -> st.release(key));
          }
          return r;
        };
    Set<LockState> normal = close.apply(states);
    // Without a lock among the resources, closing them changes no state.
    Exits afterTry = resourceLocks.isEmpty() ? inner : inner.map(close);

    Exits afterCatch = new Exits();
    afterCatch.returns.addAll(afterTry.returns);
    afterCatch.breaks.putAll(afterTry.breaks);
    afterCatch.continues.putAll(afterTry.continues);
    boolean catchAll = false;
    Set<LockState> thrown = new LinkedHashSet<>(afterTry.thrown.keySet());
    Set<LockState> out = new LinkedHashSet<>(normal);
    for (CatchTree c : t.getCatches()) {
      catchAll |= catchesEverything(c);
      exits = afterCatch;
      out.addAll(stmt(c.getBlock(), thrown));
    }
    if (!catchAll) {
      afterTry.thrown.forEach(afterCatch.thrown::putIfAbsent);
    }
    exits = outer;
    out = bounded(out);
    if (t.getFinallyBlock() == null) {
      exits.addAll(afterCatch);
      return out;
    }
    BlockTree fin = t.getFinallyBlock();
    Set<LockState> result = stmt(fin, out);
    exits.returns.addAll(stmt(fin, bounded(afterCatch.returns)));
    if (!afterCatch.thrown.isEmpty()) {
      Tree thrower = afterCatch.thrown.values().iterator().next();
      throwEdge(stmt(fin, bounded(afterCatch.thrown.keySet())), thrower);
    }
    afterCatch.breaks.forEach(
        (target, set) ->
            exits.breaks.computeIfAbsent(target, k -> new LinkedHashSet<>())
                .addAll(stmt(fin, set)));
    afterCatch.continues.forEach(
        (target, set) ->
            exits.continues.computeIfAbsent(target, k -> new LinkedHashSet<>())
                .addAll(stmt(fin, set)));
    return result;
  }

  private boolean catchesEverything(CatchTree c) {
    Element parameter = element(c.getParameter());
    if (parameter == null) {
      return false;
    }
    TypeMirror type = parameter.asType();
    List<? extends TypeMirror> alternatives =
        type instanceof UnionType ? ((UnionType) type).getAlternatives() : List.of(type);
    for (TypeMirror alternative : alternatives) {
      if (types.isSubtype(runtimeException, alternative)) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- expressions

  private Set<LockState> expr(ExpressionTree e, Set<LockState> in) {
    if (e == null) {
      return in;
    }
    switch (e.getKind()) {
      case PARENTHESIZED:
        return expr(((ParenthesizedTree) e).getExpression(), in);
      case METHOD_INVOCATION:
        return invocation((MethodInvocationTree) e, in, CallSite.TryUse.OTHER).out;
      case NEW_CLASS:
        {
          NewClassTree t = (NewClassTree) e;
          Set<LockState> states = expr(t.getEnclosingExpression(), in);
          for (ExpressionTree arg : t.getArguments()) {
            states = expr(arg, states);
          }
          record(
              t, executable(element(t)), states, false, null, LockKey.UNKNOWN,
              CallSite.TryUse.NONE);
          if (t.getClassBody() != null) {
            deferred(t.getClassBody());
          }
          throwEdge(states, t);
          return states;
        }
      case LAMBDA_EXPRESSION:
        deferred(e);
        return in;
      case MEMBER_REFERENCE:
        {
          Set<LockState> states = expr(((MemberReferenceTree) e).getQualifierExpression(), in);
          deferredCall(e);
          return states;
        }
      case CONDITIONAL_EXPRESSION:
        {
          ConditionalExpressionTree t = (ConditionalExpressionTree) e;
          Cond c = cond(t.getCondition(), in);
          return union(expr(t.getTrueExpression(), c.whenTrue), expr(t.getFalseExpression(), c.whenFalse));
        }
      case CONDITIONAL_AND:
      case CONDITIONAL_OR:
      case LOGICAL_COMPLEMENT:
        {
          Cond c = cond(e, in);
          return union(c.whenTrue, c.whenFalse);
        }
      case ASSIGNMENT:
        {
          AssignmentTree t = (AssignmentTree) e;
          Element variable = element(t.getVariable());
          Set<LockState> states = expr(t.getVariable(), in);
          return assignTo(variable, t.getExpression(), states);
        }
      case SWITCH_EXPRESSION:
        {
          SwitchExpressionTree t = (SwitchExpressionTree) e;
          Set<LockState> selected = expr(t.getExpression(), in);
          return cases(t, selected, t.getCases());
        }
      default:
        return generic(e, in);
    }
  }

  /** Any other tree: its children in order. */
  private Set<LockState> generic(Tree t, Set<LockState> in) {
    // The commonest trees, without a scanner to find their children: names and literals have
    // none, the others' children are taken in the order TreeScanner visits them. The type of a
    // cast or an instanceof holds no call and is skipped.
    if (t instanceof IdentifierTree || t instanceof LiteralTree) {
      return in;
    }
    if (t instanceof MemberSelectTree) {
      return expr(((MemberSelectTree) t).getExpression(), in);
    }
    if (t instanceof BinaryTree) {
      BinaryTree b = (BinaryTree) t;
      return expr(b.getRightOperand(), expr(b.getLeftOperand(), in));
    }
    if (t instanceof UnaryTree) {
      return expr(((UnaryTree) t).getExpression(), in);
    }
    if (t instanceof CompoundAssignmentTree) {
      CompoundAssignmentTree a = (CompoundAssignmentTree) t;
      Set<LockState> out = expr(a.getExpression(), expr(a.getVariable(), in));
      // flag |= x, flag &= x: a value the analysis does not follow.
      return knowsLocals(out) ? forget(out, element(a.getVariable())) : out;
    }
    if (t instanceof ArrayAccessTree) {
      ArrayAccessTree a = (ArrayAccessTree) t;
      return expr(a.getIndex(), expr(a.getExpression(), in));
    }
    if (t instanceof TypeCastTree) {
      return expr(((TypeCastTree) t).getExpression(), in);
    }
    if (t instanceof InstanceOfTree) {
      return expr(((InstanceOfTree) t).getExpression(), in);
    }
    Set<LockState> states = in;
    for (Tree child : children(t)) {
      if (child instanceof ExpressionTree) {
        states = expr((ExpressionTree) child, states);
      } else if (child instanceof StatementTree) {
        states = stmt(child, states);
      } else {
        states = generic(child, states);
      }
    }
    return states;
  }

  private Cond cond(ExpressionTree e, Set<LockState> in) {
    switch (e.getKind()) {
      case PARENTHESIZED:
        return cond(((ParenthesizedTree) e).getExpression(), in);
      case LOGICAL_COMPLEMENT:
        {
          Cond c = cond(((UnaryTree) e).getExpression(), in);
          return new Cond(c.whenFalse, c.whenTrue);
        }
      case CONDITIONAL_AND:
        {
          BinaryTree t = (BinaryTree) e;
          Cond left = cond(t.getLeftOperand(), in);
          Cond right = cond(t.getRightOperand(), left.whenTrue);
          return new Cond(right.whenTrue, union(left.whenFalse, right.whenFalse));
        }
      case CONDITIONAL_OR:
        {
          BinaryTree t = (BinaryTree) e;
          Cond left = cond(t.getLeftOperand(), in);
          Cond right = cond(t.getRightOperand(), left.whenFalse);
          return new Cond(union(left.whenTrue, right.whenTrue), right.whenFalse);
        }
      case EQUAL_TO:
      case NOT_EQUAL_TO:
        {
          // flag == true, flag != false, tryToAcquireInterruptLock() == false: the operand's
          // condition, or its negation.
          BinaryTree t = (BinaryTree) e;
          ExpressionTree literal = skipParentheses(t.getRightOperand());
          ExpressionTree operand = t.getLeftOperand();
          if (literal.getKind() != Tree.Kind.BOOLEAN_LITERAL) {
            literal = skipParentheses(t.getLeftOperand());
            operand = t.getRightOperand();
          }
          if (literal.getKind() != Tree.Kind.BOOLEAN_LITERAL) {
            Set<LockState> out = expr(e, in);
            return new Cond(out, out);
          }
          Cond c = cond(operand, in);
          boolean same =
              (Boolean) ((LiteralTree) literal).getValue() == (e.getKind() == Tree.Kind.EQUAL_TO);
          return same ? c : new Cond(c.whenFalse, c.whenTrue);
        }
      case METHOD_INVOCATION:
        {
          Call call = invocation((MethodInvocationTree) e, in, CallSite.TryUse.CONDITION);
          if (call.op == InterruptApi.Op.TRY_ACQUIRE && !contextLocked) {
            LockKey key = call.key;
            return new Cond(
                map(call.out, st -> st.acquire(key, e)), map(call.out, st -> st.failedTry(key)));
          }
          return new Cond(call.out, call.out);
        }
      case MEMBER_SELECT:
        {
          Boolean constant = followsFlags() ? booleanConstant(e) : null;
          if (constant != null) {
            return constant ? new Cond(in, Set.of()) : new Cond(Set.of(), in);
          }
          Set<LockState> out = expr(e, in);
          return new Cond(out, out);
        }
      case ASSIGNMENT:
        {
          // while (!(locked = irq.tryToAcquireInterruptLock()) && ..): the assignment, then a
          // test of the variable's new value.
          AssignmentTree t = (AssignmentTree) e;
          Element variable = element(t.getVariable());
          if (!isFlag(variable)) {
            Set<LockState> out = expr(e, in);
            return new Cond(out, out);
          }
          return condOn(variable, assignTo(variable, t.getExpression(), in));
        }
      case IDENTIFIER:
        {
          if (!followsFlags() && !knowsLocals(in)) {
            // No state knows a try result or a flag, and none will: the condition picks no state.
            return new Cond(in, in);
          }
          return condOn(element(e), in);
        }
      default:
        {
          Set<LockState> out = expr(e, in);
          return new Cond(out, out);
        }
    }
  }

  /** A test of a boolean variable's value: the states where it can be true, and false. */
  private Cond condOn(Element variable, Set<LockState> in) {
    boolean follows = followsFlags();
    Boolean constant = follows ? constantOf(variable) : null;
    if (constant != null) {
      return constant ? new Cond(in, Set.of()) : new Cond(Set.of(), in);
    }
    // A flag of unknown value keeps the value each branch saw until it is assigned again, so that
    // a second test of it (`if (needLock) release();`) takes the same branch.
    boolean records = follows && isFlag(variable);
    Set<LockState> whenTrue = new LinkedHashSet<>();
    Set<LockState> whenFalse = new LinkedHashSet<>();
    for (LockState state : in) {
      Boolean value = variable == null ? null : state.flags().get(variable);
      LockKey key = variable == null ? null : state.tryResults().get(variable);
      if (records && value == null && key == null) {
        whenTrue.add(state.withFlag(variable, true));
        whenFalse.add(state.withFlag(variable, false));
        continue;
      }
      boolean canBeTrue = value != null ? value : key == null || state.holds(key);
      boolean canBeFalse = value != null ? !value : key == null || !state.holds(key);
      if (canBeTrue) {
        whenTrue.add(state);
      }
      if (canBeFalse) {
        whenFalse.add(state);
      }
    }
    return new Cond(whenTrue, whenFalse);
  }

  /**
   * The value of a boolean condition known at compile time: the literal {@code true} or {@code
   * false}, or a constant variable ({@code static final boolean SHARED = true;}); null otherwise.
   */
  private Boolean booleanConstant(ExpressionTree e) {
    switch (e.getKind()) {
      case BOOLEAN_LITERAL:
        return (Boolean) ((LiteralTree) e).getValue();
      case IDENTIFIER:
      case MEMBER_SELECT:
        return constantOf(element(e));
      default:
        return null;
    }
  }

  private static Boolean constantOf(Element element) {
    if (element instanceof VariableElement) {
      Object value = ((VariableElement) element).getConstantValue();
      if (value instanceof Boolean) {
        return (Boolean) value;
      }
    }
    return null;
  }

  /** Whether some state knows a try result or a flag's value. */
  private static boolean knowsLocals(Set<LockState> states) {
    for (LockState state : states) {
      if (state.knowsLocals()) {
        return true;
      }
    }
    return false;
  }

  private Call invocation(MethodInvocationTree t, Set<LockState> in, CallSite.TryUse use) {
    ExpressionTree select = t.getMethodSelect();
    ExpressionTree receiver =
        select instanceof MemberSelectTree ? ((MemberSelectTree) select).getExpression() : null;
    ExecutableElement callee = executable(element(t));
    InterruptApi.Op op = op(callee);
    LockKey key = op != null ? keyOf(receiver, op) : LockKey.UNKNOWN;

    Set<LockState> states = receiver == null ? in : expr(receiver, in);
    LambdaExpressionTree underLock = null;
    MemberReferenceTree referenceUnderLock = null;
    boolean synchronize =
        op == InterruptApi.Op.SYNCHRONIZE || op == InterruptApi.Op.DEVICE_SYNCHRONIZE;
    List<ExpressionTree> inPlace = null;
    for (ExpressionTree arg : t.getArguments()) {
      Tree.Kind kind = arg.getKind();
      boolean functional =
          kind == Tree.Kind.LAMBDA_EXPRESSION || kind == Tree.Kind.MEMBER_REFERENCE;
      if (synchronize && kind == Tree.Kind.LAMBDA_EXPRESSION) {
        underLock = (LambdaExpressionTree) arg;
      } else if (synchronize && kind == Tree.Kind.MEMBER_REFERENCE) {
        // The qualifier is evaluated before the lock is taken; the method runs under it.
        referenceUnderLock = (MemberReferenceTree) arg;
        states = expr(referenceUnderLock.getQualifierExpression(), states);
      } else if (functional && op == null && runsInPlace(callee)) {
        if (inPlace == null) {
          inPlace = new ArrayList<>(2);
        }
        inPlace.add(arg);
        if (kind == Tree.Kind.MEMBER_REFERENCE) {
          states = expr(((MemberReferenceTree) arg).getQualifierExpression(), states);
        }
      } else {
        states = expr(arg, states);
      }
    }
    if (inPlace != null) {
      // Run during the call, after every argument is evaluated: zero or more times, so what a
      // lambda leaves held joins the states after the call.
      Set<LockState> before = states;
      for (ExpressionTree code : inPlace) {
        if (code.getKind() == Tree.Kind.LAMBDA_EXPRESSION) {
          states = union(states, lambdaInPlace((LambdaExpressionTree) code, before));
        } else {
          referenceInPlace((MemberReferenceTree) code, before);
        }
      }
    }
    record(
        t,
        callee,
        states,
        false,
        op,
        key,
        op == InterruptApi.Op.TRY_ACQUIRE ? use : CallSite.TryUse.NONE);
    if (op == null) {
      if (!cannotThrow(callee)) {
        throwEdge(states, t);
      }
      return new Call(states, null, key);
    }
    Set<LockState> before = states;
    switch (op) {
      case ACQUIRE:
      case LOCK_HANDLE:
      case DEVICE_ACQUIRE:
      case DEVICE_LOCK_HANDLE:
        return new Call(map(before, st -> st.acquire(key, t)), op, key);
      case RELEASE:
      case HANDLE_CLOSE:
      case DEVICE_RELEASE:
      case DEVICE_HANDLE_CLOSE:
        return new Call(map(before, st -> st.release(key)), op, key);
      case TRY_ACQUIRE:
        if (contextLocked || use == CallSite.TryUse.CONDITION || use == CallSite.TryUse.LOCAL) {
          return new Call(before, op, key);
        }
        return new Call(
            union(map(before, st -> st.acquire(key, t)), map(before, st -> st.failedTry(key))),
            op,
            key);
      case SYNCHRONIZE:
      case DEVICE_SYNCHRONIZE:
        if (underLock != null) {
          Exits outer = exits;
          exits = new Exits();
          lambdaDepth++;
          Set<LockState> locked = map(before, st -> st.acquire(key, t));
          Tree body = underLock.getBody();
          if (body instanceof ExpressionTree) {
            expr((ExpressionTree) body, locked);
          } else {
            stmt(body, locked);
          }
          lambdaDepth--;
          exits = outer;
        }
        if (referenceUnderLock != null) {
          referenceInPlace(referenceUnderLock, map(before, st -> st.acquire(key, t)));
        }
        throwEdge(before, t);
        return new Call(before, op, key);
      default:
        return new Call(before, op, key);
    }
  }

  private LockKey keyOf(ExpressionTree receiver, InterruptApi.Op op) {
    if (op.onDevice()) {
      return LockKey.DEVICE;
    }
    if (receiver == null) {
      return LockKey.UNKNOWN;
    }
    ExpressionTree r = skipParentheses(receiver);
    if (r.getKind() != Tree.Kind.IDENTIFIER && r.getKind() != Tree.Kind.MEMBER_SELECT) {
      return op == InterruptApi.Op.HANDLE_CLOSE ? LockKey.UNKNOWN : LockKey.ofExpression(text(r));
    }
    Element element = element(r);
    if (op == InterruptApi.Op.HANDLE_CLOSE) {
      return handles.getOrDefault(element, LockKey.UNKNOWN);
    }
    if (!(element instanceof VariableElement)) {
      return LockKey.ofExpression(text(r));
    }
    List<Element> owners = owners(r);
    return owners == null ? LockKey.ofExpression(text(r)) : new LockKey(element, owners);
  }

  /** A receiver's source text, as messages show it and as two receivers are compared. */
  private static String text(ExpressionTree receiver) {
    return receiver.toString();
  }

  /**
   * The variables a receiver is selected through ({@code rx} in {@code rx.irq}, {@code [a, b]} in
   * {@code a.b.irq}), outermost first; {@code this}, {@code super} and class names add none. Null
   * when one of them is not a variable (a call's result, an array element).
   */
  private List<Element> owners(ExpressionTree receiver) {
    List<Element> owners = List.of();
    ExpressionTree e = receiver;
    while (e.getKind() == Tree.Kind.MEMBER_SELECT) {
      ExpressionTree qualifier = skipParentheses(((MemberSelectTree) e).getExpression());
      if (CallSite.isThis(qualifier)) {
        break;
      }
      if (qualifier.getKind() != Tree.Kind.IDENTIFIER
          && qualifier.getKind() != Tree.Kind.MEMBER_SELECT) {
        return null;
      }
      Element owner = element(qualifier);
      if (owner instanceof VariableElement) {
        List<Element> outer = new ArrayList<>(owners.size() + 1);
        outer.add(owner);
        outer.addAll(owners);
        owners = outer;
      } else if (owner == null
          || !(owner.getKind().isClass()
              || owner.getKind().isInterface()
              || owner.getKind() == ElementKind.PACKAGE)) {
        return null;
      }
      e = qualifier;
    }
    return owners;
  }

  /** The element javac resolved for a tree of the method. */
  private Element element(Tree tree) {
    return trees.getElement(new TreePath(methodPath, tree));
  }

  private static ExecutableElement executable(Element element) {
    return element instanceof ExecutableElement ? (ExecutableElement) element : null;
  }

  /** What a call of {@code callee} does to a lock; null for any other call. */
  private InterruptApi.Op op(ExecutableElement callee) {
    return api.isPresent() ? api.get().opOrNull(callee) : null;
  }

  // ---------------------------------------------------------------- deferred code

  /** Records the calls in code that may run later on another thread; no lock flows into it. */
  private void deferred(Tree tree) {
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
        ExecutableElement callee = executable(element(node));
        InterruptApi.Op op = op(callee);
        ExpressionTree select = node.getMethodSelect();
        LockKey key =
            op != null && select instanceof MemberSelectTree
                ? keyOf(((MemberSelectTree) select).getExpression(), op)
                : LockKey.UNKNOWN;
        record(node, callee, Set.of(), true, op, key, CallSite.TryUse.NONE);
        return super.visitMethodInvocation(node, unused);
      }

      @Override
      public Void visitNewClass(NewClassTree node, Void unused) {
        record(
            node, executable(element(node)), Set.of(), true, null, LockKey.UNKNOWN,
            CallSite.TryUse.NONE);
        return super.visitNewClass(node, unused);
      }

      @Override
      public Void visitMemberReference(MemberReferenceTree node, Void unused) {
        deferredCall(node);
        return super.visitMemberReference(node, unused);
      }

      @Override
      public Void visitSynchronized(SynchronizedTree node, Void unused) {
        syncs.computeIfAbsent(node, k -> new LinkedHashSet<>());
        syncDeferred.putIfAbsent(node, true);
        return super.visitSynchronized(node, unused);
      }
    }.scan(tree, null);
  }

  private void deferredCall(Tree reference) {
    ExecutableElement callee = executable(element(reference));
    InterruptApi.Op op = op(callee);
    record(
        reference, callee, Set.of(), true, op,
        op != null && op.onDevice() ? LockKey.DEVICE : LockKey.UNKNOWN,
        CallSite.TryUse.NONE);
  }

  private void record(
      Tree t,
      ExecutableElement callee,
      Set<LockState> before,
      boolean deferred,
      InterruptApi.Op op,
      LockKey key,
      CallSite.TryUse use) {
    CallAcc acc = calls.get(t);
    if (acc == null) {
      acc = new CallAcc(callee, op, key, deferred, use);
      calls.put(t, acc);
    }
    acc.add(before);
  }

  private void throwEdge(Set<LockState> states, Tree thrower) {
    for (LockState state : states) {
      exits.thrown.putIfAbsent(state, thrower);
    }
  }

  /**
   * A method reference given to {@code synchronize} (with the lock held) or to a method that runs
   * it in place ({@link InPlaceApi}): a call of the method made there, like the call a lambda
   * would make. A reference to an interrupt or device API method ({@code Interrupt::disable}) is
   * such a call on an interrupt the analysis cannot name: seen by the rules on where it is made,
   * it changes no lock state.
   */
  private void referenceInPlace(MemberReferenceTree reference, Set<LockState> states) {
    ExecutableElement callee = executable(element(reference));
    if (callee == null) {
      deferredCall(reference);
      return;
    }
    InterruptApi.Op op = op(callee);
    LockKey key = op != null && op.onDevice() ? LockKey.DEVICE : LockKey.UNKNOWN;
    record(reference, callee, states, false, op, key, CallSite.TryUse.NONE);
  }

  /**
   * The body of a lambda given to a method that runs it during the call ({@link InPlaceApi}), run
   * from {@code in}: its calls are made in place, its {@code return}s end the lambda, and what it
   * throws leaves through the call. Returns the states it ends in.
   */
  private Set<LockState> lambdaInPlace(LambdaExpressionTree lambda, Set<LockState> in) {
    Exits outer = exits;
    Exits inner = new Exits();
    exits = inner;
    lambdaDepth++;
    Tree body = lambda.getBody();
    Set<LockState> out =
        body instanceof ExpressionTree ? expr((ExpressionTree) body, in) : stmt(body, in);
    lambdaDepth--;
    exits = outer;
    inner.thrown.forEach((state, thrower) -> exits.thrown.putIfAbsent(state, thrower));
    return union(out, inner.returns);
  }

  /**
   * Whether a call of {@code callee} cannot throw: a getter of the interrupt or the device, or a
   * getter of the driver itself whose body returns a field ({@code Interrupt rx() { return rx; }}),
   * so that {@code rx().releaseInterruptLock()} in a {@code finally} block releases on every path.
   */
  private boolean cannotThrow(ExecutableElement callee) {
    if (callee == null) {
      return false;
    }
    if (api.isPresent() && api.get().isAccessor(callee)) {
      return true;
    }
    return getters.contains(callee);
  }

  /** Whether a method's body only returns a field or parameter: {@code return rx;}. */
  static boolean isGetter(MethodTree method) {
    if (method.getBody() == null) {
      return false;
    }
    List<? extends StatementTree> body = method.getBody().getStatements();
    if (body.size() != 1 || body.get(0).getKind() != Tree.Kind.RETURN) {
      return false;
    }
    ExpressionTree value = ((ReturnTree) body.get(0)).getExpression();
    if (value == null) {
      return false;
    }
    value = skipParentheses(value);
    return value.getKind() == Tree.Kind.IDENTIFIER
        || (value.getKind() == Tree.Kind.MEMBER_SELECT
            && CallSite.isThis(((MemberSelectTree) value).getExpression()));
  }

  private boolean runsInPlace(ExecutableElement callee) {
    return inPlaceApi != null && inPlaceApi.runsInPlace(callee);
  }

  // ---------------------------------------------------------------- helpers

  private Target find(Name label, boolean forContinue) {
    for (Target target : targets) {
      if (label == null) {
        if (forContinue ? target.loop : target.breakable) {
          return target;
        }
      } else if (label.equals(target.label)) {
        return target;
      }
    }
    return null;
  }

  private static <K> Set<LockState> take(Map<K, Set<LockState>> map, K key) {
    Set<LockState> taken = map.remove(key);
    return taken == null ? Set.of() : taken;
  }

  private static Set<LockState> union(Set<LockState> a, Set<LockState> b) {
    if (b.isEmpty() || a.equals(b)) {
      return a;
    }
    if (a.isEmpty()) {
      return b;
    }
    Set<LockState> u = new LinkedHashSet<>(a);
    u.addAll(b);
    return bounded(withoutIdleFlags(u));
  }

  /**
   * Joins the states that differ only in one flag's value into one state where the flag is
   * unknown, and drops a state that another one with that flag unknown covers. There the flag
   * tells no lock apart, and a later test of it splits the states again: a flag that guards no
   * lock (a status bit tested in a locked region) then costs nothing, and cannot push a
   * join past {@link #MAX_STATES}, where the flags that do guard a lock would be dropped.
   */
  private static Set<LockState> withoutIdleFlags(Set<LockState> states) {
    if (!anyFlags(states)) {
      return states;
    }
    Set<LockState> current = states;
    boolean changed = true;
    while (changed) {
      changed = false;
      Map<List<Object>, LockState> seen = new HashMap<>();
      search:
      for (LockState state : current) {
        for (Map.Entry<Element, Boolean> flag : state.flags().entrySet()) {
          LockState unknown = state.forget(flag.getKey());
          LockState twin = seen.putIfAbsent(List.of(unknown, flag.getKey()), state);
          if (current.contains(unknown) || (twin != null && twin != state)) {
            Set<LockState> next = new LinkedHashSet<>(current);
            next.remove(state);
            if (twin != null) {
              next.remove(twin);
            }
            next.add(unknown);
            current = next;
            changed = true;
            break search;
          }
        }
      }
    }
    return current;
  }

  private static boolean anyFlags(Set<LockState> states) {
    for (LockState state : states) {
      if (!state.flags().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code states}, or when there are more than {@link #MAX_STATES} of them, the same states
   * without the flags' values (which merges those told apart only by a flag): past the bound the
   * analysis is what it was before it followed flags, and a join never grows without limit.
   */
  private static Set<LockState> bounded(Set<LockState> states) {
    if (states.size() <= MAX_STATES) {
      return states;
    }
    return map(states, LockState::withoutFlags);
  }

  /**
   * The states {@code f} maps {@code states} to, in order; {@code states} itself when {@code f}
   * leaves every state as it is (most statements touch no lock), since state sets are never
   * changed once they flow on.
   */
  private static Set<LockState> map(Set<LockState> states, UnaryOperator<LockState> f) {
    Set<LockState> out = null;
    int unchanged = 0;
    for (LockState state : states) {
      LockState mapped = f.apply(state);
      if (out == null) {
        if (mapped == state) {
          unchanged++;
          continue;
        }
        out = new LinkedHashSet<>();
        for (LockState earlier : states) {
          if (unchanged-- == 0) {
            break;
          }
          out.add(earlier);
        }
      }
      out.add(mapped);
    }
    return out == null ? states : out;
  }

  /**
   * The states without what they knew of {@code variable} (its try result or its value as a
   * flag): {@code states} itself when none knows a local, as on nearly every assignment, without
   * mapping them.
   */
  private static Set<LockState> forget(Set<LockState> states, Element variable) {
    if (variable == null) {
      return states;
    }
    for (LockState state : states) {
      if (state.knowsLocals()) {
        return map(states, st -> st.forget(variable));
      }
    }
    return states;
  }

  private static ExpressionTree skipParentheses(ExpressionTree e) {
    ExpressionTree r = e;
    while (r.getKind() == Tree.Kind.PARENTHESIZED) {
      r = ((ParenthesizedTree) r).getExpression();
    }
    return r;
  }

  /** The direct children of a tree, in the order {@link TreeScanner} visits them. */
  private static List<Tree> children(Tree tree) {
    List<Tree> out = new ArrayList<>();
    new TreeScanner<Void, Void>() {
      private boolean top = true;

      @Override
      public Void scan(Tree t, Void unused) {
        if (t == null) {
          return null;
        }
        if (top) {
          top = false;
          return super.scan(t, unused);
        }
        out.add(t);
        return null;
      }
    }.scan(tree, null);
    return out;
  }

  private static final class Cond {
    final Set<LockState> whenTrue;
    final Set<LockState> whenFalse;

    Cond(Set<LockState> whenTrue, Set<LockState> whenFalse) {
      this.whenTrue = whenTrue;
      this.whenFalse = whenFalse;
    }
  }

  private static final class Call {
    final Set<LockState> out;
    final InterruptApi.Op op;
    final LockKey key;

    Call(Set<LockState> out, InterruptApi.Op op, LockKey key) {
      this.out = out;
      this.op = op;
      this.key = key;
    }
  }

  private static final class Target {
    final Tree tree;
    final Name label;
    final boolean loop;
    final boolean breakable;

    Target(Tree tree, Name label, boolean loop, boolean breakable) {
      this.tree = tree;
      this.label = label;
      this.loop = loop;
      this.breakable = breakable;
    }
  }

  private static final class CallAcc {
    final ExecutableElement callee;
    final InterruptApi.Op op;
    final LockKey key;
    final boolean deferred;
    final CallSite.TryUse use;
    /**
     * The states reaching the call: the first set added as it is (sets are never changed once
     * they flow on), copied only when a second one adds to it, as in a loop or a finally block.
     */
    private Set<LockState> before = Set.of();

    private boolean copied;

    CallAcc(
        ExecutableElement callee,
        InterruptApi.Op op,
        LockKey key,
        boolean deferred,
        CallSite.TryUse use) {
      this.callee = callee;
      this.op = op;
      this.key = key;
      this.deferred = deferred;
      this.use = use;
    }

    void add(Set<LockState> states) {
      if (states.isEmpty() || states == before) {
        return;
      }
      if (before.isEmpty()) {
        before = states;
        return;
      }
      if (!copied) {
        if (before.containsAll(states)) {
          return;
        }
        before = new LinkedHashSet<>(before);
        copied = true;
      }
      before.addAll(states);
    }

    CallSite site(Tree tree) {
      return new CallSite(
          tree,
          Optional.ofNullable(callee),
          Optional.ofNullable(op),
          key,
          // The analysis is over when sites are made: nothing changes the set any more.
          Collections.unmodifiableSet(before),
          deferred,
          use);
    }
  }

  /** The ways out of a statement other than completing normally. */
  private static final class Exits {
    final Set<LockState> returns = new LinkedHashSet<>();
    final Map<LockState, Tree> thrown = new LinkedHashMap<>();
    final Map<Tree, Set<LockState>> breaks = new LinkedHashMap<>();
    final Map<Tree, Set<LockState>> continues = new LinkedHashMap<>();

    void addAll(Exits other) {
      returns.addAll(other.returns);
      other.thrown.forEach(thrown::putIfAbsent);
      other.breaks.forEach(
          (k, v) -> breaks.computeIfAbsent(k, x -> new LinkedHashSet<>()).addAll(v));
      other.continues.forEach(
          (k, v) -> continues.computeIfAbsent(k, x -> new LinkedHashSet<>()).addAll(v));
    }

    Exits map(UnaryOperator<Set<LockState>> f) {
      Exits r = new Exits();
      r.returns.addAll(f.apply(returns));
      thrown.forEach(
          (state, thrower) -> {
            for (LockState mapped : f.apply(Set.of(state))) {
              r.thrown.putIfAbsent(mapped, thrower);
            }
          });
      breaks.forEach((k, v) -> r.breaks.put(k, new LinkedHashSet<>(f.apply(v))));
      continues.forEach((k, v) -> r.continues.put(k, new LinkedHashSet<>(f.apply(v))));
      return r;
    }
  }
}
