package dev.udriver.processor.rules.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * The JDK methods that run the lambdas and method references given to them during the call, on the
 * calling thread: {@code forEach}, the stream operations (run by the terminal operation, in the
 * same expression as a rule), {@code Optional.ifPresent} and its kin, {@code Map.computeIfAbsent}
 * and its kin, {@code removeIf}, {@code replaceAll}, {@code sort}. Code given to them runs where
 * the call is made, in the ISR or under the lock held there; code given to anything else (an
 * executor, a thread, a listener kept for later) may run later on any thread.
 */
public final class InPlaceApi {

  /** Owner type to the names of its methods that run their functional arguments in place. */
  private static final Map<String, Set<String>> METHODS =
      Map.ofEntries(
          Map.entry("java.lang.Iterable", Set.of("forEach")),
          Map.entry("java.util.Iterator", Set.of("forEachRemaining")),
          Map.entry("java.util.Spliterator", Set.of("forEachRemaining", "tryAdvance")),
          Map.entry("java.util.Collection", Set.of("removeIf")),
          Map.entry("java.util.List", Set.of("replaceAll", "sort")),
          Map.entry(
              "java.util.Map",
              Set.of(
                  "forEach", "computeIfAbsent", "computeIfPresent", "compute", "merge",
                  "replaceAll")),
          Map.entry(
              "java.util.Optional",
              Set.of(
                  "ifPresent", "ifPresentOrElse", "map", "flatMap", "filter", "or", "orElseGet",
                  "orElseThrow")),
          Map.entry(
              "java.util.OptionalInt",
              Set.of("ifPresent", "ifPresentOrElse", "orElseGet", "orElseThrow")),
          Map.entry(
              "java.util.OptionalLong",
              Set.of("ifPresent", "ifPresentOrElse", "orElseGet", "orElseThrow")),
          Map.entry(
              "java.util.OptionalDouble",
              Set.of("ifPresent", "ifPresentOrElse", "orElseGet", "orElseThrow")),
          Map.entry("java.util.Arrays", Set.of("setAll", "sort")),
          Map.entry("java.util.Collections", Set.of("sort")),
          Map.entry("java.util.Objects", Set.of("requireNonNull", "requireNonNullElseGet")));

  /** Types every method of which runs its functional arguments in place. */
  private static final List<String> WHOLE_TYPES = List.of("java.util.stream.BaseStream");

  private final Types types;
  private final Map<String, List<TypeMirror>> ownersByName = new HashMap<>();
  private final List<TypeMirror> wholeTypes = new ArrayList<>();
  /** Answers by callee: a driver calls the same few JDK methods over and over. */
  private final Map<ExecutableElement, Boolean> answers = new HashMap<>();

  public InPlaceApi(Types types, Elements elements) {
    this.types = types;
    METHODS.forEach(
        (owner, names) -> {
          TypeElement type = JavaBase.type(elements, owner);
          if (type != null) {
            for (String name : names) {
              ownersByName
                  .computeIfAbsent(name, n -> new ArrayList<>())
                  .add(types.erasure(type.asType()));
            }
          }
        });
    for (String whole : WHOLE_TYPES) {
      TypeElement type = JavaBase.type(elements, whole);
      if (type != null) {
        wholeTypes.add(types.erasure(type.asType()));
      }
    }
  }

  /** Whether {@code callee} runs the lambdas and method references given to it in place. */
  public boolean runsInPlace(ExecutableElement callee) {
    if (callee == null || !(callee.getEnclosingElement() instanceof TypeElement)) {
      return false;
    }
    return answers.computeIfAbsent(callee, this::classify);
  }

  private boolean classify(ExecutableElement callee) {
    TypeMirror owner = types.erasure(callee.getEnclosingElement().asType());
    for (TypeMirror whole : wholeTypes) {
      if (types.isSubtype(owner, whole)) {
        return true;
      }
    }
    String name = callee.getSimpleName().toString();
    for (TypeMirror type : ownersByName.getOrDefault(name, List.of())) {
      if (types.isSubtype(owner, type)) {
        return true;
      }
    }
    return false;
  }
}
