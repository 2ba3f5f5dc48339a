package dev.udriver.processor.rules.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.ModuleElement;
import javax.lang.model.element.Name;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * The JDK methods that block, resolved once per analysis: a call blocks when its resolved callee is
 * declared in (a subtype of) one of these owner types with one of the listed names, as Error Prone's
 * {@code instanceMethod().onDescendantOf(..).named(..)} matches. Some names block only in their
 * timed overloads ({@code tryLock(long, TimeUnit)}, {@code poll(long, TimeUnit)}), which take a
 * {@code TimeUnit} or {@code Duration}; the untimed ones return at once. Also blocking: every
 * method of a {@code java.io} stream, reader, writer or file ({@code Closeable}/{@code Flushable}
 * types), of a {@code java.nio.channels} channel or selector, and of {@code java.nio.file.Files};
 * the sending, receiving and connecting methods of {@code java.net} sockets; the logging methods of
 * loggers; {@code synchronized} methods, except {@code Throwable}'s; methods annotated
 * {@code @MayBlock}.
 */
public final class BlockingApi {

  static final String MAY_BLOCK = "dev.udriver.annotation.MayBlock";
  static final String ISR_SAFE = "dev.udriver.annotation.IsrSafe";

  /** Methods that wait: for time to pass, a thread, a monitor, a lock, a queue, a result. */
  private static final Map<String, Set<String>> OWNERS =
      Map.ofEntries(
          Map.entry("java.lang.Thread", Set.of("sleep", "join")),
          Map.entry("java.lang.Object", Set.of("wait")),
          Map.entry("java.util.concurrent.TimeUnit", Set.of("sleep", "timedJoin", "timedWait")),
          Map.entry("java.util.concurrent.BlockingQueue", Set.of("put", "take")),
          Map.entry("java.util.concurrent.BlockingDeque", Set.of("putFirst", "putLast",
              "takeFirst", "takeLast")),
          Map.entry("java.util.concurrent.TransferQueue", Set.of("transfer")),
          Map.entry("java.util.concurrent.locks.Lock", Set.of("lock", "lockInterruptibly")),
          Map.entry("java.util.concurrent.locks.StampedLock", Set.of("writeLock", "readLock",
              "writeLockInterruptibly", "readLockInterruptibly")),
          Map.entry("java.util.concurrent.locks.Condition",
              Set.of("await", "awaitNanos", "awaitUninterruptibly", "awaitUntil")),
          Map.entry("java.util.concurrent.Future", Set.of("get")),
          Map.entry("java.util.concurrent.CompletableFuture", Set.of("join")),
          Map.entry("java.util.concurrent.CountDownLatch", Set.of("await")),
          Map.entry("java.util.concurrent.Semaphore", Set.of("acquire", "acquireUninterruptibly")),
          Map.entry("java.util.concurrent.CyclicBarrier", Set.of("await")),
          Map.entry("java.util.concurrent.Phaser",
              Set.of("awaitAdvance", "awaitAdvanceInterruptibly", "arriveAndAwaitAdvance")),
          Map.entry("java.util.concurrent.Exchanger", Set.of("exchange")),
          Map.entry("java.util.concurrent.ExecutorService",
              Set.of("awaitTermination", "invokeAll", "invokeAny", "close")),
          Map.entry("java.util.concurrent.locks.LockSupport",
              Set.of("park", "parkNanos", "parkUntil")));

  /**
   * Methods that wait only in their timed overloads: {@code tryLock()} and {@code offer(e)} return
   * at once, {@code tryLock(1, SECONDS)} and {@code offer(e, 1, SECONDS)} wait up to the timeout.
   */
  private static final Map<String, Set<String>> TIMED_OWNERS =
      Map.ofEntries(
          Map.entry("java.util.concurrent.locks.Lock", Set.of("tryLock")),
          Map.entry("java.util.concurrent.locks.StampedLock",
              Set.of("tryWriteLock", "tryReadLock")),
          Map.entry("java.util.concurrent.BlockingQueue", Set.of("offer", "poll")),
          Map.entry("java.util.concurrent.BlockingDeque",
              Set.of("offerFirst", "offerLast", "pollFirst", "pollLast")),
          Map.entry("java.util.concurrent.TransferQueue", Set.of("tryTransfer")),
          Map.entry("java.util.concurrent.Semaphore", Set.of("tryAcquire")));

  /** Socket I/O: a system call that waits for the network, the peer or the socket's lock. */
  private static final Map<String, Set<String>> SOCKET_OWNERS =
      Map.ofEntries(
          Map.entry("java.net.Socket",
              Set.of("connect", "close", "shutdownInput", "shutdownOutput", "sendUrgentData")),
          Map.entry("java.net.ServerSocket", Set.of("accept", "close")),
          Map.entry("java.net.DatagramSocket", Set.of("send", "receive", "close")));

  /**
   * Logging: a logged record runs the logger's handlers, which format it and write to a console,
   * file or socket under their own lock.
   */
  private static final Map<String, Set<String>> LOGGING_OWNERS =
      Map.ofEntries(
          Map.entry("java.util.logging.Logger",
              Set.of("log", "logp", "logrb", "severe", "warning", "info", "config", "fine",
                  "finer", "finest", "entering", "exiting", "throwing")),
          Map.entry("java.lang.System.Logger", Set.of("log")));

  private final Types types;
  /**
   * What {@link #blocking} answered, per method. Body rules run once javac's processing rounds
   * are over, so a method's element no longer changes for the rest of the compilation.
   */
  private final Map<ExecutableElement, Optional<String>> answers = new HashMap<>();
  private final Map<String, List<Owner>> ownersByName = new HashMap<>();
  private final List<TypeMirror> ioTypes = new ArrayList<>();
  private final TypeMirror channel;
  private final TypeMirror selector;
  private final TypeMirror timeUnit;
  private final TypeMirror duration;

  /**
   * A type whose methods of some name block.
   *
   * @param type the erased owner type
   * @param note what messages add to the method's name, such as {@code " (I/O)"}
   * @param timedOnly whether only the overloads with a timeout block
   */
  private record Owner(TypeMirror type, String note, boolean timedOnly) {}

  public BlockingApi(Types types, Elements elements) {
    this.types = types;
    addOwners(elements, OWNERS, "", false);
    addOwners(elements, TIMED_OWNERS, " (timed)", true);
    addOwners(elements, SOCKET_OWNERS, " (I/O)", false);
    addOwners(elements, LOGGING_OWNERS, " (logging I/O)", false);
    for (String io : List.of("java.io.Closeable", "java.io.Flushable")) {
      TypeElement type = JavaBase.type(elements, io);
      if (type != null) {
        ioTypes.add(type.asType());
      }
    }
    channel = erasureOrNull(types, elements, "java.nio.channels.Channel");
    selector = erasureOrNull(types, elements, "java.nio.channels.Selector");
    timeUnit = erasureOrNull(types, elements, "java.util.concurrent.TimeUnit");
    duration = erasureOrNull(types, elements, "java.time.Duration");
  }

  private void addOwners(
      Elements elements, Map<String, Set<String>> owners, String note, boolean timedOnly) {
    owners.forEach(
        (name, methods) -> {
          TypeElement type = platformType(elements, name);
          if (type != null) {
            Owner owner = new Owner(types.erasure(type.asType()), note, timedOnly);
            for (String method : methods) {
              ownersByName.computeIfAbsent(method, n -> new ArrayList<>()).add(owner);
            }
          }
        });
  }

  /**
   * The JDK type of that name, or null: the logging API's in {@code java.logging}, the others in
   * {@code java.base}.
   */
  private static TypeElement platformType(Elements elements, String name) {
    if (!name.startsWith("java.util.logging.")) {
      return JavaBase.type(elements, name);
    }
    ModuleElement logging = elements.getModuleElement("java.logging");
    return logging == null
        ? elements.getTypeElement(name)
        : elements.getTypeElement(logging, name);
  }

  private static TypeMirror erasureOrNull(Types types, Elements elements, String name) {
    TypeElement type = JavaBase.type(elements, name);
    return type == null ? null : types.erasure(type.asType());
  }

  /**
   * How messages name the blocking call of {@code callee} ({@code Thread.sleep}, {@code
   * ReentrantLock.lock}), or empty if calling it does not block. {@code @IsrSafe} methods never
   * block here: the contract is trusted at call sites and checked on the method's own body.
   */
  public Optional<String> blocking(ExecutableElement callee) {
    if (callee == null) {
      return Optional.empty();
    }
    // Drivers call the same JDK and helper methods over and over; each is classified once.
    return answers.computeIfAbsent(callee, this::classify);
  }

  private Optional<String> classify(ExecutableElement callee) {
    if (callee == null || !(callee.getEnclosingElement() instanceof TypeElement)) {
      return Optional.empty();
    }
    if (hasAnnotation(callee, ISR_SAFE)) {
      return Optional.empty();
    }
    TypeElement owner = (TypeElement) callee.getEnclosingElement();
    // The message text is built only for a blocking method: most methods classified do not block.
    if (hasAnnotation(callee, MAY_BLOCK)) {
      return Optional.of(display(owner, callee) + " (@MayBlock)");
    }
    // Throwable's synchronized methods (getCause, initCause, fillInStackTrace, ...), also when an
    // exception inherits them, lock the exception object itself: code that catches an exception
    // practically never shares it with a thread that holds its monitor.
    if (callee.getModifiers().contains(Modifier.SYNCHRONIZED)
        && !owner.getQualifiedName().contentEquals("java.lang.Throwable")) {
      return Optional.of(display(owner, callee) + " (synchronized)");
    }
    TypeMirror ownerType = types.erasure(owner.asType());
    List<Owner> owners = ownersByName.get(callee.getSimpleName().toString());
    if (owners != null) {
      for (Owner candidate : owners) {
        if (types.isSubtype(ownerType, candidate.type())
            && (!candidate.timedOnly() || hasTimeout(callee))) {
          return Optional.of(display(owner, callee) + candidate.note());
        }
      }
    }
    Name pkg = packageOf(owner);
    if (pkg != null && pkg.contentEquals("java.io")) {
      for (TypeMirror io : ioTypes) {
        if (types.isSubtype(ownerType, io)) {
          return Optional.of(display(owner, callee) + " (I/O)");
        }
      }
    }
    if (pkg != null
        && pkg.contentEquals("java.nio.channels")
        && ((channel != null && types.isSubtype(ownerType, channel))
            || (selector != null && types.isSubtype(ownerType, selector)))) {
      return Optional.of(display(owner, callee) + " (I/O)");
    }
    if (owner.getQualifiedName().contentEquals("java.nio.file.Files")) {
      return Optional.of(display(owner, callee) + " (I/O)");
    }
    return Optional.empty();
  }

  /** Whether one of the method's parameters is a {@code TimeUnit} or a {@code Duration}. */
  private boolean hasTimeout(ExecutableElement callee) {
    for (VariableElement parameter : callee.getParameters()) {
      TypeMirror type = types.erasure(parameter.asType());
      if ((timeUnit != null && types.isSameType(type, timeUnit))
          || (duration != null && types.isSameType(type, duration))) {
        return true;
      }
    }
    return false;
  }

  private static String display(TypeElement owner, ExecutableElement callee) {
    return owner.getSimpleName() + "." + callee.getSimpleName();
  }

  /** The qualified name of the element's package; null outside any. */
  private static Name packageOf(Element element) {
    Element e = element;
    while (e != null && !(e instanceof PackageElement)) {
      e = e.getEnclosingElement();
    }
    return e == null ? null : ((PackageElement) e).getQualifiedName();
  }

  /** Whether {@code element} carries the annotation named {@code annotation}. */
  public static boolean hasAnnotation(Element element, String annotation) {
    // A loop, not a stream: the body rules ask this for every call they look at.
    for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
      if (((TypeElement) mirror.getAnnotationType().asElement())
          .getQualifiedName()
          .contentEquals(annotation)) {
        return true;
      }
    }
    return false;
  }
}
