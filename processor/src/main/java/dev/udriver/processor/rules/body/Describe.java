package dev.udriver.processor.rules.body;

import com.sun.source.tree.Tree;
import dev.udriver.processor.model.CallbackMethod;
import dev.udriver.processor.rules.analysis.CallSite;
import dev.udriver.processor.rules.analysis.DriverAnalysis;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.ExecutableElement;

/** How body findings name methods, contexts, calls and places. */
final class Describe {

  private Describe() {}

  /** {@code the ISR 'onRx'}, {@code the @HoldsInterruptLock method 'take'}, {@code 'send'}. */
  static String method(DriverAnalysis analysis, ExecutableElement method) {
    Optional<CallbackMethod> callback = analysis.callback(method);
    String name = "'" + analysis.name(method) + "'";
    if (callback.isPresent()) {
      return "the " + callback.get().role().displayName() + " " + name;
    }
    if (DriverAnalysis.holdsInterruptLock(method)) {
      return "the @HoldsInterruptLock method " + name;
    }
    return name;
  }

  /**
   * The method as a message about its locked region names it: {@link #method} where the lock is
   * held whenever it runs, its quoted name otherwise. Built only for a finding.
   */
  static String context(DriverAnalysis analysis, ExecutableElement method, boolean locked) {
    return locked ? method(analysis, method) : "'" + analysis.name(method) + "'";
  }

  /**
   * A method under the device lock: the work item by its role where automatic serialization holds
   * the lock whenever it runs, the method's quoted name otherwise. Built only for a finding.
   */
  static String serializedContext(
      DriverAnalysis analysis, ExecutableElement method, boolean serialized) {
    return serialized
        ? method(analysis, method) + " (automaticSerialization)"
        : "'" + analysis.name(method) + "'";
  }

  /** The call as messages show it: the interrupt API name, else {@code Owner.method(..)}. */
  static String call(CallSite call) {
    if (call.op().isPresent()) {
      return call.op().get().display();
    }
    return call.callee().map(Describe::callee).orElse("the call");
  }

  static String callee(ExecutableElement callee) {
    return callee.getEnclosingElement().getSimpleName() + "." + callee.getSimpleName() + "(..)";
  }

  /** {@code onRx → readFrame → Thread.sleep}. */
  static String path(String start, List<String> rest) {
    StringBuilder text = new StringBuilder(start);
    for (String step : rest) {
      text.append(" \u2192 ").append(step);
    }
    return text.toString();
  }

  /** The 1-based line of a tree. */
  static long line(DriverAnalysis analysis, Tree tree) {
    long position =
        analysis.trees().getSourcePositions().getStartPosition(analysis.unit(), tree);
    return analysis.unit().getLineMap().getLineNumber(position);
  }
}
