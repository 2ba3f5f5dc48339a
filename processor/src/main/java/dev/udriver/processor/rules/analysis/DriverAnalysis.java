package dev.udriver.processor.rules.analysis;

import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.udriver.processor.model.CallbackMethod;
import dev.udriver.processor.model.CallbackRole;
import dev.udriver.processor.model.DriverModel;
import dev.udriver.processor.model.InterruptModel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Types;

/**
 * The facts about one driver's method bodies that the body rules read: the {@link MethodFacts} of
 * each method and constructor the driver class declares (computed once per method), the contexts
 * each method runs in, and summaries of what calling a method of the driver leads to (blocking,
 * acquiring the lock, enabling or disabling the interrupt), each with the call path that leads
 * there.
 *
 * <p>Contexts: a callback runs in its role's context; any other non-private method or constructor
 * may run on any thread (the application calls it); a private helper runs in the contexts of its
 * callers within the class, and on any thread when a lambda, method reference or local class calls
 * it. Summaries follow the calls between the class's own methods breadth first, so that cycles end
 * and each path reported is a shortest one.
 */
public final class DriverAnalysis {

  /** Where a method's code may run. */
  public enum Context {
    ISR("the ISR"),
    WORK_ITEM("the work item"),
    ENABLE("the enable callback"),
    DISABLE("the disable callback"),
    ARBITRARY("any thread");

    private final String display;

    Context(String display) {
      this.display = display;
    }

    public String display() {
      return display;
    }

    static Context of(CallbackRole role) {
      switch (role) {
        case ISR:
          return ISR;
        case WORK_ITEM:
          return WORK_ITEM;
        case ENABLE:
          return ENABLE;
        default:
          return DISABLE;
      }
    }
  }

  /**
   * An entry point a method's code is reached from.
   *
   * @param context the entry's context
   * @param interrupt the interrupt name, for callbacks
   * @param entry the callback, or the non-private method any thread may call
   */
  public record Root(Context context, String interrupt, ExecutableElement entry) {

    // Written out rather than left to the record: roots fill the sets computeRoots() iterates to a
    // fixed point, and the record's generated methods go through method handles, slow until the
    // JIT compiles them again in each compilation that loads the processor afresh.
    @Override
    public boolean equals(Object other) {
      if (this == other) {
        return true;
      }
      if (!(other instanceof Root)) {
        return false;
      }
      Root that = (Root) other;
      return context == that.context
          && interrupt.equals(that.interrupt)
          && Objects.equals(entry, that.entry);
    }

    @Override
    public int hashCode() {
      return (31 * context.hashCode() + interrupt.hashCode()) * 31 + Objects.hashCode(entry);
    }
  }

  static final String HOLDS_INTERRUPT_LOCK = "dev.udriver.annotation.HoldsInterruptLock";

  private final DriverModel model;
  private final Trees trees;
  private final CompilationUnitTree unit;
  private final BlockingApi blocking;
  private final Map<ExecutableElement, MethodFacts> facts;
  private final Map<ExecutableElement, MethodFacts> factsView;
  /**
   * The methods the driver inherits from supertypes in this compilation and those of the classes
   * nested in it: followed from the driver's calls (a blocking base-class helper called in the
   * ISR), never checked on their own here (each class is checked where it is a driver).
   */
  private final Map<ExecutableElement, TreePath> followable;
  /** Analyses a followed method, or any method with boolean parameters bound ({@link Node}). */
  private final BiFunction<ExecutableElement, Map<Element, Boolean>, MethodFacts> onDemand;
  private final Map<Node, MethodFacts> analysedOnDemand = new HashMap<>();
  /** The analysed methods that run with the interrupt lock held, as {@link #contextLocked}. */
  private final Set<ExecutableElement> lockedContext;
  private final Map<ExecutableElement, CallbackMethod> callbacks;
  private final Map<ExecutableElement, Set<Root>> roots = new LinkedHashMap<>();
  private final Map<List<Object>, Optional<List<String>>> paths = new HashMap<>();
  private final Map<ExecutableElement, List<CallSite>> underInterruptLock = new HashMap<>();
  private final Map<ExecutableElement, List<CallSite>> underDeviceLock = new HashMap<>();
  private Set<ExecutableElement> lockedHelpers;

  private DriverAnalysis(
      DriverModel model,
      Trees trees,
      CompilationUnitTree unit,
      BlockingApi blocking,
      Map<ExecutableElement, MethodFacts> facts,
      Map<ExecutableElement, TreePath> followable,
      BiFunction<ExecutableElement, Map<Element, Boolean>, MethodFacts> onDemand,
      Map<ExecutableElement, CallbackMethod> callbacks,
      Set<ExecutableElement> lockedContext) {
    this.model = model;
    this.trees = trees;
    this.unit = unit;
    this.blocking = blocking;
    this.facts = facts;
    this.followable = followable;
    this.onDemand = onDemand;
    this.factsView = Collections.unmodifiableMap(facts);
    this.callbacks = callbacks;
    this.lockedContext = lockedContext;
    computeRoots();
  }

  /**
   * Analyses the bodies of the driver's methods; empty if javac has no tree for the driver.
   *
   * @param unit the compilation unit javac has just analysed, which declares the driver; null if
   *     unknown
   */
  public static Optional<DriverAnalysis> analyze(
      DriverModel model,
      CompilationUnitTree unit,
      Trees trees,
      Types types,
      TypeMirror runtimeException,
      Optional<InterruptApi> api,
      InPlaceApi inPlace,
      BlockingApi blocking) {
    Map<ExecutableElement, CallbackMethod> callbacks = new LinkedHashMap<>();
    for (CallbackMethod callback : model.callbacks()) {
      callbacks.putIfAbsent(callback.method(), callback);
    }
    Map<ExecutableElement, MethodFacts> facts = new LinkedHashMap<>();
    Set<ExecutableElement> lockedContext = new HashSet<>();
    // One lookup of the class's tree; members are found by walking it, not by one search each.
    TreePath classPath = classPath(model.type(), unit, trees);
    if (classPath == null || !(classPath.getLeaf() instanceof ClassTree)) {
      return Optional.empty();
    }
    Map<ExecutableElement, TreePath> methods = new LinkedHashMap<>();
    Set<ExecutableElement> getters = new HashSet<>();
    List<Tree> initializers = new ArrayList<>();
    ExecutableElement initializing = null;
    for (Tree member : ((ClassTree) classPath.getLeaf()).getMembers()) {
      if (member.getKind() == Tree.Kind.BLOCK
          || (member.getKind() == Tree.Kind.VARIABLE
              && runsCode(((VariableTree) member).getInitializer()))) {
        initializers.add(member);
        continue;
      }
      if (member.getKind() != Tree.Kind.METHOD) {
        continue;
      }
      TreePath path = new TreePath(classPath, member);
      Element element = trees.getElement(path);
      if (element instanceof ExecutableElement) {
        methods.put((ExecutableElement) element, path);
        if (initializing == null && element.getKind() == ElementKind.CONSTRUCTOR) {
          // Initializers run in every constructor; analysed with the first, reported once.
          initializing = (ExecutableElement) element;
        }
        if (LockFlow.isGetter((MethodTree) member)) {
          getters.add((ExecutableElement) element);
        }
      }
    }
    for (Map.Entry<ExecutableElement, TreePath> entry : methods.entrySet()) {
      ExecutableElement method = entry.getKey();
      TreePath path = entry.getValue();
      boolean locked = contextLocked(method, callbacks.get(method));
      if (locked) {
        lockedContext.add(method);
      }
      facts.put(
          method,
          LockFlow.analyze(
              trees,
              types,
              runtimeException,
              api,
              inPlace,
              getters,
              method,
              path,
              method.equals(initializing) ? initializers : List.of(),
              Map.of(),
              deviceLockedByFramework(model, method, callbacks.get(method)),
              locked));
    }
    if (classPath.getCompilationUnit() == null) {
      return Optional.empty();
    }
    // Classes whose methods the driver's calls are followed into: its supertypes compiled with
    // it, and the classes nested in it (a ring buffer's helper, an inner watchdog).
    List<TreePath> followedClasses = new ArrayList<>();
    for (TypeElement supertype : sourceSupertypes(model.type(), types, trees)) {
      TreePath superPath = trees.getPath(supertype);
      if (superPath != null && superPath.getLeaf() instanceof ClassTree) {
        followedClasses.add(superPath);
      }
    }
    addNestedClasses(classPath, followedClasses);
    Map<ExecutableElement, TreePath> followable = new HashMap<>();
    for (TreePath followedClass : followedClasses) {
      for (Tree member : ((ClassTree) followedClass.getLeaf()).getMembers()) {
        if (member.getKind() != Tree.Kind.METHOD) {
          continue;
        }
        TreePath path = new TreePath(followedClass, member);
        Element element = trees.getElement(path);
        if (element instanceof ExecutableElement
            && element.getKind() == ElementKind.METHOD
            && !facts.containsKey(element)) {
          followable.putIfAbsent((ExecutableElement) element, path);
        }
      }
    }
    // Followed methods are analysed when a path first reaches them (most never are), and any
    // method again when a call binds some of its boolean parameters.
    BiFunction<ExecutableElement, Map<Element, Boolean>, MethodFacts> onDemand =
        (method, bindings) -> {
          TreePath path = methods.containsKey(method) ? methods.get(method) : followable.get(method);
          return LockFlow.analyze(
              trees, types, runtimeException, api, inPlace, getters, method, path, List.of(),
              bindings, deviceLockedByFramework(model, method, callbacks.get(method)),
              contextLocked(method, callbacks.get(method)));
        };
    return Optional.of(
        new DriverAnalysis(
            model,
            trees,
            classPath.getCompilationUnit(),
            blocking,
            facts,
            followable,
            onDemand,
            callbacks,
            lockedContext));
  }

  /**
   * Whether an initializer may call code: anything but literals, names and operators on them (the
   * register offsets and masks a driver declares by the dozen need no analysis).
   */
  private static boolean runsCode(ExpressionTree initializer) {
    if (initializer == null) {
      return false;
    }
    ExpressionTree e = initializer;
    while (e instanceof ParenthesizedTree) {
      e = ((ParenthesizedTree) e).getExpression();
    }
    if (e instanceof LiteralTree || e instanceof IdentifierTree || e instanceof MemberSelectTree) {
      return false;
    }
    if (e instanceof UnaryTree) {
      return runsCode(((UnaryTree) e).getExpression());
    }
    if (e instanceof BinaryTree) {
      return runsCode(((BinaryTree) e).getLeftOperand())
          || runsCode(((BinaryTree) e).getRightOperand());
    }
    return true;
  }

  /** Adds the paths of the classes nested in a class's tree, at any depth. */
  private static void addNestedClasses(TreePath classPath, List<TreePath> found) {
    for (Tree member : ((ClassTree) classPath.getLeaf()).getMembers()) {
      if (member instanceof ClassTree) {
        TreePath nested = new TreePath(classPath, member);
        found.add(nested);
        addNestedClasses(nested, found);
      }
    }
  }

  /**
   * The driver's superclasses and interfaces whose source is in this compilation: their methods
   * (a base class's helpers, an interface's default methods) are followed from the driver's calls.
   */
  private static List<TypeElement> sourceSupertypes(
      TypeElement driver, Types types, Trees trees) {
    List<TypeElement> found = new ArrayList<>();
    Deque<TypeMirror> pending = new ArrayDeque<>(types.directSupertypes(driver.asType()));
    Set<TypeElement> seen = new HashSet<>();
    while (!pending.isEmpty()) {
      Element element = types.asElement(pending.poll());
      if (!(element instanceof TypeElement) || !seen.add((TypeElement) element)) {
        continue;
      }
      TypeElement type = (TypeElement) element;
      // Library types come from class files: no tree, nothing to follow, and their supertypes
      // neither.
      if (trees.getTree(type) == null) {
        continue;
      }
      found.add(type);
      pending.addAll(types.directSupertypes(type.asType()));
    }
    return found;
  }

  /**
   * The path of the class's declaration. For a top-level class of a known unit it is the unit and
   * the class's tree, the path {@link Trees#getPath(Element)} returns, without its search of the
   * unit (which ends by throwing an exception, stack trace and all); for a nested class, that
   * search.
   */
  private static TreePath classPath(TypeElement type, CompilationUnitTree unit, Trees trees) {
    if (unit != null && type.getNestingKind() == NestingKind.TOP_LEVEL) {
      Tree tree = trees.getTree(type);
      if (tree != null && unit.getTypeDecls().contains(tree)) {
        return new TreePath(new TreePath(unit), tree);
      }
    }
    return trees.getPath(type);
  }

  private static boolean contextLocked(ExecutableElement method, CallbackMethod callback) {
    if (callback != null && callback.role() != CallbackRole.WORK_ITEM) {
      return true;
    }
    return BlockingApi.hasAnnotation(method, HOLDS_INTERRUPT_LOCK);
  }

  public DriverModel model() {
    return model;
  }

  public Trees trees() {
    return trees;
  }

  /** The compilation unit of the driver class. */
  public CompilationUnitTree unit() {
    return unit;
  }

  /** The facts of every analysed method, in declaration order. */
  public Map<ExecutableElement, MethodFacts> facts() {
    return factsView;
  }

  /** The callback a method is, if it is one. */
  public Optional<CallbackMethod> callback(ExecutableElement method) {
    return Optional.ofNullable(callbacks.get(method));
  }

  /** Whether the method is one of the driver's callbacks. */
  public boolean isCallback(ExecutableElement method) {
    return callbacks.containsKey(method);
  }

  /**
   * Whether the interrupt lock is held whenever the method runs: the ISR, enable and disable
   * callbacks (the framework holds it) and {@code @HoldsInterruptLock} methods (the caller does).
   */
  public boolean contextLocked(ExecutableElement method) {
    // Worked out once per analysed method: several rules ask for every method.
    return facts.containsKey(method)
        ? lockedContext.contains(method)
        : contextLocked(method, callbacks.get(method));
  }

  /**
   * Whether the interrupt lock is held whenever the method runs: {@link #contextLocked} methods,
   * and the private helpers that every call of the class makes with the lock held on every path
   * (from such a method, or inside a locked region), never from code that may run later. So a
   * helper the ISR alone calls ({@code onIrq → handleRx → bump}) counts as holding the lock.
   */
  public boolean runsLocked(ExecutableElement method) {
    if (contextLocked(method)) {
      return true;
    }
    if (lockedHelpers == null) {
      lockedHelpers = lockedHelpers();
    }
    return lockedHelpers.contains(method);
  }

  /**
   * The private helpers that only ever run locked: the greatest set such that every call of each
   * is made holding the lock, from a locked method or one of the set (so that recursion among them
   * keeps them in it).
   */
  private Set<ExecutableElement> lockedHelpers() {
    Map<ExecutableElement, List<Map.Entry<ExecutableElement, CallSite>>> callers =
        new LinkedHashMap<>();
    for (ExecutableElement method : facts.keySet()) {
      if (!contextLocked(method)
          && !callbacks.containsKey(method)
          && method.getKind() == ElementKind.METHOD
          && method.getModifiers().contains(Modifier.PRIVATE)) {
        callers.put(method, new ArrayList<>());
      }
    }
    facts.forEach(
        (caller, f) -> {
          for (CallSite call : f.calls()) {
            if (call.callee().isPresent() && callers.containsKey(call.callee().get())) {
              callers.get(call.callee().get()).add(Map.entry(caller, call));
            }
          }
        });
    Set<ExecutableElement> locked = new HashSet<>();
    callers.forEach(
        (helper, sites) -> {
          if (!sites.isEmpty()) {
            locked.add(helper);
          }
        });
    boolean changed = true;
    while (changed) {
      changed = false;
      for (ExecutableElement helper : new ArrayList<>(locked)) {
        for (Map.Entry<ExecutableElement, CallSite> site : callers.get(helper)) {
          CallSite call = site.getValue();
          boolean held =
              !call.deferred()
                  && (contextLocked(site.getKey())
                      || locked.contains(site.getKey())
                      || call.mustHoldAny());
          if (!held) {
            locked.remove(helper);
            changed = true;
            break;
          }
        }
      }
    }
    return locked;
  }

  /**
   * Whether the framework holds the device lock whenever the method runs: the work item of an
   * interrupt whose ISR asks for {@code automaticSerialization}. The runtime takes the device lock
   * around such a work item, and nowhere else on the driver's behalf.
   */
  public boolean contextDeviceLocked(ExecutableElement method) {
    return deviceLockedByFramework(model, method, callbacks.get(method));
  }

  /** {@link #contextDeviceLocked} before the analysis exists, given the method's callback. */
  private static boolean deviceLockedByFramework(
      DriverModel model, ExecutableElement method, CallbackMethod callback) {
    if (callback == null || callback.role() != CallbackRole.WORK_ITEM) {
      return false;
    }
    for (CallbackMethod c : model.callbacks()) {
      if (c.method().equals(method) && c.role() == CallbackRole.WORK_ITEM) {
        for (InterruptModel interrupt : model.interrupts()) {
          if (interrupt.name().equals(c.interruptName()) && interrupt.automaticSerialization()) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Whether the method carries {@code @HoldsInterruptLock}. */
  public static boolean holdsInterruptLock(ExecutableElement method) {
    return BlockingApi.hasAnnotation(method, HOLDS_INTERRUPT_LOCK);
  }

  /** Whether the method carries {@code @IsrSafe}. */
  public static boolean isrSafe(ExecutableElement method) {
    return BlockingApi.hasAnnotation(method, BlockingApi.ISR_SAFE);
  }

  /** Whether the method carries {@code @MayBlock}. */
  public static boolean mayBlock(ExecutableElement method) {
    return BlockingApi.hasAnnotation(method, BlockingApi.MAY_BLOCK);
  }

  /**
   * The method's calls made while an interrupt lock may be held, in source order: all its calls
   * when it runs locked ({@link #contextLocked(ExecutableElement)}), else those some path reaches
   * holding one; never a deferred call. Worked out once per method for the rules that check what
   * runs under the lock, each of which would otherwise test every call again.
   */
  public List<CallSite> callsUnderInterruptLock(ExecutableElement method) {
    List<CallSite> calls = underInterruptLock.get(method);
    if (calls == null) {
      boolean throughout = contextLocked(method);
      calls = new ArrayList<>();
      MethodFacts f = facts.get(method);
      if (f != null) {
        for (CallSite call : f.calls()) {
          if (!call.deferred() && (throughout || call.mayHoldAny())) {
            calls.add(call);
          }
        }
      }
      calls = Collections.unmodifiableList(calls);
      underInterruptLock.put(method, calls);
    }
    return calls;
  }

  /**
   * The method's calls made while the device lock may be held, in source order: all its calls
   * when it runs serialized ({@link #contextDeviceLocked(ExecutableElement)}), else those some path
   * reaches holding it; never a deferred call. Worked out once per method, as {@link
   * #callsUnderInterruptLock}.
   */
  public List<CallSite> callsUnderDeviceLock(ExecutableElement method) {
    List<CallSite> calls = underDeviceLock.get(method);
    if (calls == null) {
      boolean throughout = contextDeviceLocked(method);
      calls = new ArrayList<>();
      MethodFacts f = facts.get(method);
      if (f != null) {
        for (CallSite call : f.calls()) {
          if (!call.deferred() && (throughout || call.mayHoldDevice())) {
            calls.add(call);
          }
        }
      }
      calls = Collections.unmodifiableList(calls);
      underDeviceLock.put(method, calls);
    }
    return calls;
  }

  /** The entry points the method's code is reached from; empty for an unused private helper. */
  public Set<Root> roots(ExecutableElement method) {
    return roots.getOrDefault(method, Set.of());
  }

  /** How calling {@code callee} blocks by itself (a JDK blocking method, {@code @MayBlock}, ...). */
  public Optional<String> directBlocking(CallSite call) {
    return call.callee().flatMap(blocking::blocking);
  }

  /**
   * Whether the callee is a method of this driver whose body was analysed: declared by it or by a
   * class nested in it, or inherited from a supertype whose source is in this compilation.
   */
  public boolean isOwnMethod(ExecutableElement callee) {
    return facts.containsKey(callee) || followable.containsKey(callee);
  }

  /**
   * The shortest chain of the driver's own methods from {@code method} to a blocking call, ending
   * with that call ({@code [readFrame, Thread.sleep]}); empty if none blocks. {@code @IsrSafe}
   * methods are trusted and not entered.
   */
  public Optional<List<String>> blockingPath(ExecutableElement method) {
    return path(
        "block",
        method,
        f -> {
          for (CallSite call : f.calls()) {
            if (reached(call)) {
              Optional<String> b = directBlocking(call);
              if (b.isPresent()) {
                return b;
              }
            }
          }
          for (MethodFacts.SyncSite sync : f.synchronizedBlocks()) {
            if (!sync.deferred() && !sync.before().isEmpty()) {
              return Optional.of("synchronized block");
            }
          }
          return Optional.empty();
        },
        callee -> !isrSafe(callee),
        c -> true);
  }

  /**
   * The shortest chain from a call to one that acquires the caller's interrupt lock, through the
   * driver's own methods; empty for a call on another instance ({@link CallSite#onThisInstance()}),
   * whose locks are that instance's, and along such calls.
   */
  public Optional<List<String>> acquirePath(CallSite call) {
    return ownLockPath(call, "acquire", InterruptApi.Op::acquires);
  }

  /** The shortest chain from a call to one that acquires the device lock (see acquirePath). */
  public Optional<List<String>> deviceAcquirePath(CallSite call) {
    return ownLockPath(call, "deviceAcquire", InterruptApi.Op::acquiresDevice);
  }

  private Optional<List<String>> ownLockPath(
      CallSite call, String kind, Predicate<InterruptApi.Op> wanted) {
    if (!call.onThisInstance() || call.callee().isEmpty()) {
      return Optional.empty();
    }
    return path(kind, enteredBy(call), f -> firstOp(f, wanted), m -> true, CallSite::onThisInstance);
  }

  /**
   * The shortest chain from a call to a call of {@code disable()}: on any instance, since it waits
   * for that interrupt's callbacks wherever it is made.
   */
  public Optional<List<String>> disablePath(CallSite call) {
    return anyInstancePath(call, "disable", op -> op == InterruptApi.Op.DISABLE);
  }

  /** The shortest chain from a call to a call of {@code enable()} or {@code disable()}. */
  public Optional<List<String>> enableDisablePath(CallSite call) {
    return anyInstancePath(
        call,
        "enableDisable",
        op -> op == InterruptApi.Op.ENABLE || op == InterruptApi.Op.DISABLE);
  }

  private Optional<List<String>> anyInstancePath(
      CallSite call, String kind, Predicate<InterruptApi.Op> wanted) {
    if (call.callee().isEmpty()) {
      return Optional.empty();
    }
    return path(kind, enteredBy(call), f -> firstOp(f, wanted), m -> true, c -> true);
  }

  private static Optional<String> firstOp(
      MethodFacts f, Predicate<InterruptApi.Op> wanted) {
    for (CallSite call : f.calls()) {
      if (reached(call) && call.op().isPresent() && wanted.test(call.op().get())) {
        return Optional.of(call.op().get().display());
      }
    }
    return Optional.empty();
  }

  private Optional<List<String>> path(
      String kind,
      ExecutableElement start,
      Function<MethodFacts, Optional<String>> sinkOf,
      Predicate<ExecutableElement> enter,
      Predicate<CallSite> follow) {
    return path(kind, new Node(start, Map.of()), sinkOf, enter, follow);
  }

  /**
   * A method as a path enters it: with the boolean parameters the call fixes to a constant ({@code
   * update(interrupt, true)}), so that a branch on such a parameter is taken one way only.
   */
  private record Node(ExecutableElement method, Map<Element, Boolean> bindings) {}

  /** The node a call enters: its callee, with the boolean constants it passes. */
  private Node enteredBy(CallSite call) {
    ExecutableElement callee = call.callee().get();
    if (!(call.tree() instanceof MethodInvocationTree)) {
      return new Node(callee, Map.of());
    }
    List<? extends ExpressionTree> args = ((MethodInvocationTree) call.tree()).getArguments();
    List<? extends VariableElement> parameters = callee.getParameters();
    Map<Element, Boolean> bindings = new HashMap<>();
    for (int i = 0; i < args.size() && i < parameters.size(); i++) {
      ExpressionTree arg = args.get(i);
      while (arg instanceof ParenthesizedTree) {
        arg = ((ParenthesizedTree) arg).getExpression();
      }
      if (arg.getKind() == Tree.Kind.BOOLEAN_LITERAL) {
        bindings.put(parameters.get(i), (Boolean) ((LiteralTree) arg).getValue());
      }
    }
    return new Node(callee, bindings.isEmpty() ? Map.of() : Map.copyOf(bindings));
  }

  /** The facts of a node: the driver's own method's, or an analysis made on demand. */
  private MethodFacts bodyOf(Node node) {
    MethodFacts own = node.bindings().isEmpty() ? facts.get(node.method()) : null;
    if (own != null || !isOwnMethod(node.method())) {
      return own;
    }
    return analysedOnDemand.computeIfAbsent(
        node, n -> onDemand.apply(n.method(), n.bindings()));
  }

  private Optional<List<String>> path(
      String kind,
      Node start,
      Function<MethodFacts, Optional<String>> sinkOf,
      Predicate<ExecutableElement> enter,
      Predicate<CallSite> follow) {
    List<Object> cacheKey = List.of(kind, start);
    Optional<List<String>> cached = paths.get(cacheKey);
    if (cached != null) {
      return cached;
    }
    Map<Node, Node> parent = new HashMap<>();
    Set<Node> visited = new LinkedHashSet<>();
    Deque<Node> queue = new ArrayDeque<>();
    queue.add(start);
    visited.add(start);
    Optional<List<String>> result = Optional.empty();
    while (!queue.isEmpty()) {
      Node current = queue.poll();
      MethodFacts f = bodyOf(current);
      if (f == null) {
        continue;
      }
      Optional<String> sink = sinkOf.apply(f);
      if (sink.isPresent()) {
        List<String> chain = new ArrayList<>();
        chain.add(sink.get());
        for (Node m = current; m != null; m = parent.get(m)) {
          chain.add(0, name(m.method()));
        }
        result = Optional.of(List.copyOf(chain));
        break;
      }
      for (CallSite call : f.calls()) {
        if (!reached(call) || call.callee().isEmpty() || !follow.test(call)) {
          continue;
        }
        ExecutableElement callee = call.callee().get();
        if (isOwnMethod(callee) && enter.test(callee)) {
          Node next = enteredBy(call);
          if (visited.add(next)) {
            parent.put(next, current);
            queue.add(next);
          }
        }
      }
    }
    paths.put(cacheKey, result);
    return result;
  }

  /** Whether a call runs where its method runs: not deferred, and on some path of the method. */
  private static boolean reached(CallSite call) {
    return !call.deferred() && !call.before().isEmpty();
  }


  /** How messages name a method: its simple name, {@code <init>} shown as the class name. */
  public String name(ExecutableElement method) {
    return method.getKind() == ElementKind.CONSTRUCTOR
        ? model.simpleName()
        : method.getSimpleName().toString();
  }

  private void computeRoots() {
    // The calls along which roots flow, found once: into a private helper (not a callback, not a
    // constructor) the driver declares, in the order of the methods and their calls.
    List<ExecutableElement> edgeCallers = new ArrayList<>();
    List<CallSite> edges = new ArrayList<>();
    Set<ExecutableElement> helpers = new HashSet<>();
    for (ExecutableElement method : facts.keySet()) {
      Set<Root> own = new LinkedHashSet<>();
      CallbackMethod callback = callbacks.get(method);
      boolean isPrivate = method.getModifiers().contains(Modifier.PRIVATE);
      boolean constructor = method.getKind() == ElementKind.CONSTRUCTOR;
      if (callback != null) {
        for (CallbackMethod c : model.callbacks()) {
          if (c.method().equals(method)) {
            own.add(new Root(Context.of(c.role()), c.interruptName(), method));
          }
        }
      } else if (!isPrivate || constructor) {
        own.add(new Root(Context.ARBITRARY, "", method));
      } else {
        helpers.add(method);
      }
      roots.put(method, own);
    }
    if (helpers.isEmpty()) {
      return;
    }
    for (Map.Entry<ExecutableElement, MethodFacts> entry : facts.entrySet()) {
      for (CallSite call : entry.getValue().calls()) {
        if (call.callee().isPresent() && helpers.contains(call.callee().get())) {
          edgeCallers.add(entry.getKey());
          edges.add(call);
        }
      }
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int i = 0; i < edges.size(); i++) {
        CallSite call = edges.get(i);
        ExecutableElement caller = edgeCallers.get(i);
        Set<Root> target = roots.get(call.callee().get());
        if (call.deferred()) {
          changed |= target.add(new Root(Context.ARBITRARY, "", caller));
        } else {
          changed |= target.addAll(roots.get(caller));
        }
      }
    }
  }
}
