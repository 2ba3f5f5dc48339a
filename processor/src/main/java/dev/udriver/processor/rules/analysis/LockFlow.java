package dev.udriver.processor.rules.analysis;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
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
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.tree.YieldTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
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
 * <p>Paths include exceptional ones: every call that is not an interrupt API call, every {@code new}
 * and every {@code throw} may leave the block, to the enclosing {@code catch} and {@code finally}
 * clauses or out of the method. Try-with-resources releases a {@code lock()} handle on every way out
 * of its block. A {@code tryToAcquireInterruptLock()} splits the state: held where it returned true,
 * a failed try where it returned false; conditions on the call or on a boolean local holding its
 * result pick the matching states. The lambda given to {@code synchronize} runs in place with the
 * lock held, and a method reference given to it is a call made there; other lambdas, method
 * references and local classes may run later on any thread and are only scanned for calls ({@link
 * CallSite#deferred()}).
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

  private final Trees trees;
  private final Types types;
  private final TypeMirror runtimeException;
  private final Optional<InterruptApi> api;
  private final boolean contextLocked;

  private final Map<Tree, CallAcc> calls = new LinkedHashMap<>();
  private final Map<SynchronizedTree, Set<LockState>> syncs = new LinkedHashMap<>();
  private final Map<SynchronizedTree, Boolean> syncDeferred = new LinkedHashMap<>();
  private final Map<Element, LockKey> handles = new HashMap<>();
  private final Set<ExpressionTree> returns = new LinkedHashSet<>();
  private final Deque<Target> targets = new ArrayDeque<>();
  private Name pendingLabel;
  private int lambdaDepth;
  private Exits exits = new Exits();

  private LockFlow(
      Trees trees,
      Types types,
      TypeMirror runtimeException,
      Optional<InterruptApi> api,
      boolean contextLocked) {
    this.trees = trees;
    this.types = types;
    this.runtimeException = runtimeException;
    this.api = api;
    this.contextLocked = contextLocked;
  }

  /**
   * Analyses one method.
   *
   * @param contextLocked whether the interrupt lock is held when the method starts (ISR, enable,
   *     disable, {@code @HoldsInterruptLock}): a try-acquire there always fails
   * @param deviceLockedByFramework whether the framework holds the device lock when the method
   *     starts (a work item with automatic serialization): the flow starts with it held, acquired
   *     at the method's declaration, so that a release and a later acquire follow it
   */
  public static MethodFacts analyze(
      Trees trees,
      Types types,
      TypeMirror runtimeException,
      Optional<InterruptApi> api,
      ExecutableElement method,
      TreePath methodPath,
      boolean deviceLockedByFramework,
      boolean contextLocked) {
    LockFlow flow = new LockFlow(trees, types, runtimeException, api, contextLocked);
    MethodTree tree = (MethodTree) methodPath.getLeaf();
    List<MethodFacts.Leak> leaks = new ArrayList<>();
    if (tree.getBody() != null) {
      Set<LockState> out =
          flow.stmt(
              tree.getBody(),
              methodPath,
              Set.of(
                  deviceLockedByFramework
                      ? LockState.ENTRY.acquire(LockKey.DEVICE, tree)
                      : LockState.ENTRY));
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

  private Set<LockState> stmt(Tree s, TreePath parent, Set<LockState> in) {
    if (s == null) {
      return in;
    }
    TreePath p = new TreePath(parent, s);
    switch (s.getKind()) {
      case BLOCK:
        {
          Set<LockState> states = in;
          for (StatementTree child : ((BlockTree) s).getStatements()) {
            states = stmt(child, p, states);
          }
          return states;
        }
      case VARIABLE:
        return variable((VariableTree) s, p, in);
      case EXPRESSION_STATEMENT:
        {
          ExpressionTree e = ((ExpressionStatementTree) s).getExpression();
          if (e.getKind() == Tree.Kind.METHOD_INVOCATION) {
            return invocation(
                    (MethodInvocationTree) e, new TreePath(p, e), in, CallSite.TryUse.IGNORED)
                .out;
          }
          return expr(e, p, in);
        }
      case IF:
        {
          IfTree t = (IfTree) s;
          Cond c = cond(t.getCondition(), p, in);
          Set<LockState> then = stmt(t.getThenStatement(), p, c.whenTrue);
          Set<LockState> otherwise =
              t.getElseStatement() == null ? c.whenFalse : stmt(t.getElseStatement(), p, c.whenFalse);
          return union(then, otherwise);
        }
      case WHILE_LOOP:
        {
          WhileLoopTree t = (WhileLoopTree) s;
          return loop(t, p, in, t.getCondition(), t.getStatement(), List.of(), false);
        }
      case DO_WHILE_LOOP:
        {
          DoWhileLoopTree t = (DoWhileLoopTree) s;
          return loop(t, p, in, t.getCondition(), t.getStatement(), List.of(), true);
        }
      case FOR_LOOP:
        {
          ForLoopTree t = (ForLoopTree) s;
          Set<LockState> states = in;
          for (StatementTree init : t.getInitializer()) {
            states = stmt(init, p, states);
          }
          return loop(t, p, states, t.getCondition(), t.getStatement(), t.getUpdate(), false);
        }
      case ENHANCED_FOR_LOOP:
        {
          EnhancedForLoopTree t = (EnhancedForLoopTree) s;
          Set<LockState> states = expr(t.getExpression(), p, in);
          return loop(t, p, states, null, t.getStatement(), List.of(), false);
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
            return stmt(t.getStatement(), p, in);
          }
          Target target = new Target(t, t.getLabel(), false, false);
          targets.push(target);
          Set<LockState> out = stmt(t.getStatement(), p, in);
          targets.pop();
          return union(out, take(exits.breaks, t));
        }
      case SWITCH:
        {
          SwitchTree t = (SwitchTree) s;
          Set<LockState> selected = expr(t.getExpression(), p, in);
          return cases(t, p, selected, t.getCases());
        }
      case TRY:
        return tryStatement((TryTree) s, p, in);
      case SYNCHRONIZED:
        {
          SynchronizedTree t = (SynchronizedTree) s;
          Set<LockState> states = expr(t.getExpression(), p, in);
          syncs.computeIfAbsent(t, k -> new LinkedHashSet<>()).addAll(states);
          syncDeferred.put(t, false);
          return stmt(t.getBlock(), p, states);
        }
      case RETURN:
        {
          ReturnTree t = (ReturnTree) s;
          Set<LockState> states = in;
          if (t.getExpression() != null) {
            if (lambdaDepth == 0) {
              returns.add(t.getExpression());
            }
            states = expr(t.getExpression(), p, states);
          }
          exits.returns.addAll(states);
          return Set.of();
        }
      case THROW:
        {
          Set<LockState> states = expr(((ThrowTree) s).getExpression(), p, in);
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
          Set<LockState> states = expr(((YieldTree) s).getValue(), p, in);
          Target target = find(null, false);
          if (target != null) {
            exits.breaks.computeIfAbsent(target.tree, k -> new LinkedHashSet<>()).addAll(states);
          }
          return Set.of();
        }
      case CLASS:
        deferred(s, p);
        return in;
      default:
        return generic(s, p, in);
    }
  }

  private Set<LockState> variable(VariableTree t, TreePath p, Set<LockState> in) {
    ExpressionTree init = t.getInitializer();
    if (init == null) {
      return in;
    }
    Element variable = trees.getElement(p);
    return assignTo(variable, init, p, in);
  }

  /** {@code variable = init}: follows try results and lock handles stored in locals. */
  private Set<LockState> assignTo(
      Element variable, ExpressionTree init, TreePath p, Set<LockState> in) {
    boolean local =
        variable != null
            && (variable.getKind() == ElementKind.LOCAL_VARIABLE
                || variable.getKind() == ElementKind.RESOURCE_VARIABLE);
    ExpressionTree value = skipParentheses(init);
    if (local && value.getKind() == Tree.Kind.METHOD_INVOCATION) {
      Call call =
          invocation(
              (MethodInvocationTree) value, new TreePath(p, value), in, CallSite.TryUse.LOCAL);
      if (call.op == InterruptApi.Op.TRY_ACQUIRE) {
        if (contextLocked) {
          return map(call.out, st -> st.forget(variable));
        }
        LockKey key = call.key;
        return union(
            map(call.out, st -> st.acquire(key, value).withTryResult(variable, key)),
            map(call.out, st -> st.failedTry(key).withTryResult(variable, key)));
      }
      if (call.op == InterruptApi.Op.LOCK_HANDLE || call.op == InterruptApi.Op.DEVICE_LOCK_HANDLE) {
        handles.put(variable, call.key);
      }
      return map(call.out, st -> st.forget(variable));
    }
    Set<LockState> out = expr(init, p, in);
    return variable == null ? out : map(out, st -> st.forget(variable));
  }

  private Set<LockState> loop(
      Tree loop,
      TreePath p,
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
        Set<LockState> out = union(stmt(body, p, head), take(inner.continues, loop));
        Cond c = cond(condition, p, out);
        exit = c.whenFalse;
        next = union(in, c.whenTrue);
      } else {
        Cond c = condition == null ? new Cond(head, Set.of()) : cond(condition, p, head);
        if (loop.getKind() == Tree.Kind.ENHANCED_FOR_LOOP) {
          c = new Cond(head, head);
        }
        Set<LockState> out = union(stmt(body, p, c.whenTrue), take(inner.continues, loop));
        for (ExpressionStatementTree update : updates) {
          out = stmt(update, p, out);
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
      Tree switchTree, TreePath p, Set<LockState> selected, List<? extends CaseTree> cases) {
    targets.push(new Target(switchTree, null, false, true));
    Set<LockState> out = new LinkedHashSet<>();
    Set<LockState> fall = Set.of();
    boolean hasDefault = false;
    for (CaseTree c : cases) {
      TreePath cp = new TreePath(p, c);
      @SuppressWarnings("deprecation")
      boolean isDefault = c.getExpressions().isEmpty();
      hasDefault |= isDefault;
      Set<LockState> caseIn = union(selected, fall);
      if (c.getCaseKind() == CaseTree.CaseKind.RULE) {
        Tree body = c.getBody();
        Set<LockState> r =
            body instanceof ExpressionTree
                ? expr((ExpressionTree) body, cp, caseIn)
                : stmt(body, cp, caseIn);
        out.addAll(r);
        fall = Set.of();
      } else {
        Set<LockState> r = caseIn;
        for (StatementTree statement : c.getStatements()) {
          r = stmt(statement, cp, r);
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
    return out;
  }

  private Set<LockState> tryStatement(TryTree t, TreePath p, Set<LockState> in) {
    Exits outer = exits;
    Exits inner = new Exits();
    exits = inner;
    Set<LockState> states = in;
    List<LockKey> resourceLocks = new ArrayList<>();
    for (Tree resource : t.getResources()) {
      if (resource instanceof VariableTree) {
        VariableTree variable = (VariableTree) resource;
        TreePath rp = new TreePath(p, resource);
        states = variable(variable, rp, states);
        Element element = trees.getElement(rp);
        if (element != null && handles.containsKey(element)) {
          resourceLocks.add(0, handles.get(element));
        }
      } else {
        states = expr((ExpressionTree) resource, p, states);
      }
    }
    states = stmt(t.getBlock(), p, states);
    UnaryOperator<Set<LockState>> close =
        set -> {
          Set<LockState> r = set;
          for (LockKey key : resourceLocks) {
            r = map(r, st -> st.release(key));
          }
          return r;
        };
    Set<LockState> normal = close.apply(states);
    Exits afterTry = inner.map(close);

    Exits afterCatch = new Exits();
    afterCatch.returns.addAll(afterTry.returns);
    afterCatch.breaks.putAll(afterTry.breaks);
    afterCatch.continues.putAll(afterTry.continues);
    boolean catchAll = false;
    Set<LockState> thrown = new LinkedHashSet<>(afterTry.thrown.keySet());
    Set<LockState> out = new LinkedHashSet<>(normal);
    for (CatchTree c : t.getCatches()) {
      TreePath cp = new TreePath(p, c);
      catchAll |= catchesEverything(c, cp);
      exits = afterCatch;
      out.addAll(stmt(c.getBlock(), cp, thrown));
    }
    if (!catchAll) {
      afterTry.thrown.forEach(afterCatch.thrown::putIfAbsent);
    }
    exits = outer;
    if (t.getFinallyBlock() == null) {
      exits.addAll(afterCatch);
      return out;
    }
    BlockTree fin = t.getFinallyBlock();
    Set<LockState> result = stmt(fin, p, out);
    exits.returns.addAll(stmt(fin, p, afterCatch.returns));
    if (!afterCatch.thrown.isEmpty()) {
      Tree thrower = afterCatch.thrown.values().iterator().next();
      throwEdge(stmt(fin, p, afterCatch.thrown.keySet()), thrower);
    }
    afterCatch.breaks.forEach(
        (target, set) ->
            exits.breaks.computeIfAbsent(target, k -> new LinkedHashSet<>())
                .addAll(stmt(fin, p, set)));
    afterCatch.continues.forEach(
        (target, set) ->
            exits.continues.computeIfAbsent(target, k -> new LinkedHashSet<>())
                .addAll(stmt(fin, p, set)));
    return result;
  }

  private boolean catchesEverything(CatchTree c, TreePath cp) {
    Element parameter = trees.getElement(new TreePath(cp, c.getParameter()));
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

  private Set<LockState> expr(ExpressionTree e, TreePath parent, Set<LockState> in) {
    if (e == null) {
      return in;
    }
    TreePath p = new TreePath(parent, e);
    switch (e.getKind()) {
      case PARENTHESIZED:
        return expr(((ParenthesizedTree) e).getExpression(), p, in);
      case METHOD_INVOCATION:
        return invocation((MethodInvocationTree) e, p, in, CallSite.TryUse.OTHER).out;
      case NEW_CLASS:
        {
          NewClassTree t = (NewClassTree) e;
          Set<LockState> states = expr(t.getEnclosingExpression(), p, in);
          for (ExpressionTree arg : t.getArguments()) {
            states = expr(arg, p, states);
          }
          record(t, p, states, false, Optional.empty(), LockKey.UNKNOWN, CallSite.TryUse.NONE);
          if (t.getClassBody() != null) {
            deferred(t.getClassBody(), p);
          }
          throwEdge(states, t);
          return states;
        }
      case LAMBDA_EXPRESSION:
        deferred(e, parent);
        return in;
      case MEMBER_REFERENCE:
        {
          Set<LockState> states = expr(((MemberReferenceTree) e).getQualifierExpression(), p, in);
          deferredCall(e, p);
          return states;
        }
      case CONDITIONAL_EXPRESSION:
        {
          ConditionalExpressionTree t = (ConditionalExpressionTree) e;
          Cond c = cond(t.getCondition(), p, in);
          return union(expr(t.getTrueExpression(), p, c.whenTrue), expr(t.getFalseExpression(), p, c.whenFalse));
        }
      case CONDITIONAL_AND:
      case CONDITIONAL_OR:
      case LOGICAL_COMPLEMENT:
        {
          Cond c = cond(e, parent, in);
          return union(c.whenTrue, c.whenFalse);
        }
      case ASSIGNMENT:
        {
          AssignmentTree t = (AssignmentTree) e;
          Element variable = trees.getElement(new TreePath(p, t.getVariable()));
          Set<LockState> states = expr(t.getVariable(), p, in);
          return assignTo(variable, t.getExpression(), p, states);
        }
      case SWITCH_EXPRESSION:
        {
          SwitchExpressionTree t = (SwitchExpressionTree) e;
          Set<LockState> selected = expr(t.getExpression(), p, in);
          return cases(t, p, selected, t.getCases());
        }
      default:
        return generic(e, p, in);
    }
  }

  /** Any other tree: its children in order. */
  private Set<LockState> generic(Tree t, TreePath p, Set<LockState> in) {
    // The commonest trees, without a scanner to find their children: names and literals have
    // none, a member select has its qualifier.
    if (t instanceof IdentifierTree || t instanceof LiteralTree) {
      return in;
    }
    if (t instanceof MemberSelectTree) {
      return expr(((MemberSelectTree) t).getExpression(), p, in);
    }
    Set<LockState> states = in;
    for (Tree child : children(t)) {
      if (child instanceof ExpressionTree) {
        states = expr((ExpressionTree) child, p, states);
      } else if (child instanceof StatementTree) {
        states = stmt(child, p, states);
      } else {
        states = generic(child, new TreePath(p, child), states);
      }
    }
    return states;
  }

  private Cond cond(ExpressionTree e, TreePath parent, Set<LockState> in) {
    TreePath p = new TreePath(parent, e);
    switch (e.getKind()) {
      case PARENTHESIZED:
        return cond(((ParenthesizedTree) e).getExpression(), p, in);
      case LOGICAL_COMPLEMENT:
        {
          Cond c = cond(((UnaryTree) e).getExpression(), p, in);
          return new Cond(c.whenFalse, c.whenTrue);
        }
      case CONDITIONAL_AND:
        {
          BinaryTree t = (BinaryTree) e;
          Cond left = cond(t.getLeftOperand(), p, in);
          Cond right = cond(t.getRightOperand(), p, left.whenTrue);
          return new Cond(right.whenTrue, union(left.whenFalse, right.whenFalse));
        }
      case CONDITIONAL_OR:
        {
          BinaryTree t = (BinaryTree) e;
          Cond left = cond(t.getLeftOperand(), p, in);
          Cond right = cond(t.getRightOperand(), p, left.whenFalse);
          return new Cond(union(left.whenTrue, right.whenTrue), right.whenFalse);
        }
      case METHOD_INVOCATION:
        {
          Call call = invocation((MethodInvocationTree) e, p, in, CallSite.TryUse.CONDITION);
          if (call.op == InterruptApi.Op.TRY_ACQUIRE && !contextLocked) {
            LockKey key = call.key;
            return new Cond(
                map(call.out, st -> st.acquire(key, e)), map(call.out, st -> st.failedTry(key)));
          }
          return new Cond(call.out, call.out);
        }
      case IDENTIFIER:
        {
          Element variable = trees.getElement(p);
          Set<LockState> whenTrue = new LinkedHashSet<>();
          Set<LockState> whenFalse = new LinkedHashSet<>();
          for (LockState state : in) {
            LockKey key = variable == null ? null : state.tryResults().get(variable);
            if (key == null || state.holds(key)) {
              whenTrue.add(state);
            }
            if (key == null || !state.holds(key)) {
              whenFalse.add(state);
            }
          }
          return new Cond(whenTrue, whenFalse);
        }
      default:
        {
          Set<LockState> out = expr(e, parent, in);
          return new Cond(out, out);
        }
    }
  }

  private Call invocation(
      MethodInvocationTree t, TreePath p, Set<LockState> in, CallSite.TryUse use) {
    ExpressionTree select = t.getMethodSelect();
    ExpressionTree receiver =
        select instanceof MemberSelectTree ? ((MemberSelectTree) select).getExpression() : null;
    TreePath selectPath = new TreePath(p, select);
    Element element = trees.getElement(p);
    ExecutableElement callee = element instanceof ExecutableElement ? (ExecutableElement) element : null;
    Optional<InterruptApi.Op> op = api.flatMap(a -> a.op(callee));
    LockKey key = op.isPresent() ? keyOf(receiver, selectPath, op.get()) : LockKey.UNKNOWN;

    Set<LockState> states = receiver == null ? in : expr(receiver, selectPath, in);
    LambdaExpressionTree underLock = null;
    MemberReferenceTree referenceUnderLock = null;
    for (ExpressionTree arg : t.getArguments()) {
      if ((op.orElse(null) == InterruptApi.Op.SYNCHRONIZE
              || op.orElse(null) == InterruptApi.Op.DEVICE_SYNCHRONIZE)
          && arg.getKind() == Tree.Kind.LAMBDA_EXPRESSION) {
        underLock = (LambdaExpressionTree) arg;
      } else if ((op.orElse(null) == InterruptApi.Op.SYNCHRONIZE
              || op.orElse(null) == InterruptApi.Op.DEVICE_SYNCHRONIZE)
          && arg.getKind() == Tree.Kind.MEMBER_REFERENCE) {
        // The qualifier is evaluated before the lock is taken; the method runs under it.
        referenceUnderLock = (MemberReferenceTree) arg;
        states = expr(referenceUnderLock.getQualifierExpression(), new TreePath(p, arg), states);
      } else {
        states = expr(arg, p, states);
      }
    }
    record(
        t,
        p,
        states,
        false,
        op,
        key,
        op.orElse(null) == InterruptApi.Op.TRY_ACQUIRE ? use : CallSite.TryUse.NONE);
    if (op.isEmpty()) {
      throwEdge(states, t);
      return new Call(states, null, key);
    }
    Set<LockState> before = states;
    switch (op.get()) {
      case ACQUIRE:
      case LOCK_HANDLE:
      case DEVICE_ACQUIRE:
      case DEVICE_LOCK_HANDLE:
        return new Call(map(before, st -> st.acquire(key, t)), op.get(), key);
      case RELEASE:
      case HANDLE_CLOSE:
      case DEVICE_RELEASE:
      case DEVICE_HANDLE_CLOSE:
        return new Call(map(before, st -> st.release(key)), op.get(), key);
      case TRY_ACQUIRE:
        if (contextLocked || use == CallSite.TryUse.CONDITION || use == CallSite.TryUse.LOCAL) {
          return new Call(before, op.get(), key);
        }
        return new Call(
            union(map(before, st -> st.acquire(key, t)), map(before, st -> st.failedTry(key))),
            op.get(),
            key);
      case SYNCHRONIZE:
      case DEVICE_SYNCHRONIZE:
        if (underLock != null) {
          Exits outer = exits;
          exits = new Exits();
          lambdaDepth++;
          Set<LockState> locked = map(before, st -> st.acquire(key, t));
          TreePath lp = new TreePath(p, underLock);
          Tree body = underLock.getBody();
          if (body instanceof ExpressionTree) {
            expr((ExpressionTree) body, lp, locked);
          } else {
            stmt(body, lp, locked);
          }
          lambdaDepth--;
          exits = outer;
        }
        if (referenceUnderLock != null) {
          referenceUnder(
              referenceUnderLock,
              new TreePath(p, referenceUnderLock),
              map(before, st -> st.acquire(key, t)));
        }
        throwEdge(before, t);
        return new Call(before, op.get(), key);
      default:
        return new Call(before, op.get(), key);
    }
  }

  private LockKey keyOf(ExpressionTree receiver, TreePath selectPath, InterruptApi.Op op) {
    if (op.onDevice()) {
      return LockKey.DEVICE;
    }
    if (receiver == null) {
      return LockKey.UNKNOWN;
    }
    ExpressionTree r = skipParentheses(receiver);
    if (r.getKind() != Tree.Kind.IDENTIFIER && r.getKind() != Tree.Kind.MEMBER_SELECT) {
      return LockKey.UNKNOWN;
    }
    Element element = trees.getElement(new TreePath(selectPath, r));
    if (!(element instanceof VariableElement)) {
      return LockKey.UNKNOWN;
    }
    if (op == InterruptApi.Op.HANDLE_CLOSE) {
      return handles.getOrDefault(element, LockKey.UNKNOWN);
    }
    return new LockKey(element);
  }

  // ---------------------------------------------------------------- deferred code

  /** Records the calls in code that may run later on another thread; no lock flows into it. */
  private void deferred(Tree tree, TreePath parent) {
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
        Element element = trees.getElement(getCurrentPath());
        ExecutableElement callee =
            element instanceof ExecutableElement ? (ExecutableElement) element : null;
        Optional<InterruptApi.Op> op = api.flatMap(a -> a.op(callee));
        ExpressionTree select = node.getMethodSelect();
        LockKey key =
            op.isPresent() && select instanceof MemberSelectTree
                ? keyOf(
                    ((MemberSelectTree) select).getExpression(),
                    new TreePath(getCurrentPath(), select),
                    op.get())
                : LockKey.UNKNOWN;
        record(node, getCurrentPath(), Set.of(), true, op, key, CallSite.TryUse.NONE);
        return super.visitMethodInvocation(node, unused);
      }

      @Override
      public Void visitNewClass(NewClassTree node, Void unused) {
        record(
            node, getCurrentPath(), Set.of(), true, Optional.empty(), LockKey.UNKNOWN,
            CallSite.TryUse.NONE);
        return super.visitNewClass(node, unused);
      }

      @Override
      public Void visitMemberReference(MemberReferenceTree node, Void unused) {
        deferredCall(node, getCurrentPath());
        return super.visitMemberReference(node, unused);
      }

      @Override
      public Void visitSynchronized(SynchronizedTree node, Void unused) {
        syncs.computeIfAbsent(node, k -> new LinkedHashSet<>());
        syncDeferred.putIfAbsent(node, true);
        return super.visitSynchronized(node, unused);
      }
    }.scan(new TreePath(parent, tree), null);
  }

  private void deferredCall(Tree reference, TreePath path) {
    Element element = trees.getElement(path);
    ExecutableElement callee =
        element instanceof ExecutableElement ? (ExecutableElement) element : null;
    Optional<InterruptApi.Op> op = api.flatMap(a -> a.op(callee));
    record(
        reference, path, Set.of(), true, op,
        op.isPresent() && op.get().onDevice() ? LockKey.DEVICE : LockKey.UNKNOWN,
        CallSite.TryUse.NONE);
  }

  private void record(
      Tree t,
      TreePath p,
      Set<LockState> before,
      boolean deferred,
      Optional<InterruptApi.Op> op,
      LockKey key,
      CallSite.TryUse use) {
    CallAcc acc = calls.get(t);
    if (acc == null) {
      Element element = trees.getElement(p);
      acc =
          new CallAcc(
              element instanceof ExecutableElement ? (ExecutableElement) element : null,
              op,
              key,
              deferred,
              use);
      calls.put(t, acc);
    }
    acc.before.addAll(before);
  }

  private void throwEdge(Set<LockState> states, Tree thrower) {
    for (LockState state : states) {
      exits.thrown.putIfAbsent(state, thrower);
    }
  }

  /**
   * A method reference given to {@code synchronize}: a call of the method, made in place with the
   * lock held, like the call a lambda would make. A reference to an interrupt or device API method
   * stays a deferred call.
   */
  private void referenceUnder(MemberReferenceTree reference, TreePath path, Set<LockState> locked) {
    Element element = trees.getElement(path);
    ExecutableElement callee =
        element instanceof ExecutableElement ? (ExecutableElement) element : null;
    if (callee == null || api.flatMap(a -> a.op(callee)).isPresent()) {
      deferredCall(reference, path);
      return;
    }
    record(reference, path, locked, false, Optional.empty(), LockKey.UNKNOWN, CallSite.TryUse.NONE);
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
    return u;
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
    final Optional<InterruptApi.Op> op;
    final LockKey key;
    final boolean deferred;
    final CallSite.TryUse use;
    final Set<LockState> before = new LinkedHashSet<>();

    CallAcc(
        ExecutableElement callee,
        Optional<InterruptApi.Op> op,
        LockKey key,
        boolean deferred,
        CallSite.TryUse use) {
      this.callee = callee;
      this.op = op;
      this.key = key;
      this.deferred = deferred;
      this.use = use;
    }

    CallSite site(Tree tree) {
      return new CallSite(
          tree,
          Optional.ofNullable(callee),
          op,
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
