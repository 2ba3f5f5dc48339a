package dev.udriver.runtime.linux;

import dev.udriver.runtime.hardware.GrantedInterrupt;
import dev.udriver.runtime.hardware.InterruptResource;
import dev.udriver.runtime.hardware.InterruptSource;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The resources of hardware that gives each interrupt name one edge-triggered source (timers, GPIO
 * lines): the sources by name, in declaration order, and the resource each is granted.
 */
final class EdgeLinesByName<S extends InterruptSource> {

  private final String kind;
  private final int firstVector;
  private final Map<String, S> sources = new LinkedHashMap<>();
  private final Map<String, GrantedInterrupt> granted = new LinkedHashMap<>();

  /**
   * @param kind what a source is, for error messages ("timer", "GPIO interrupt")
   * @param firstVector the vector of the first source; the next ones count up
   */
  EdgeLinesByName(String kind, int firstVector) {
    this.kind = kind;
    this.firstVector = firstVector;
  }

  void add(String name, S source) {
    sources.put(name, source);
    granted.put(
        name,
        new GrantedInterrupt(
            new InterruptResource.Line(
                InterruptResource.Trigger.EDGE, false, firstVector + granted.size(), 0L),
            source));
  }

  /** The source behind {@code name}; an error naming what is declared when there is none. */
  S source(String name) {
    S source = sources.get(name);
    if (source == null) {
      throw new IllegalArgumentException(
          "no " + kind + " '" + name + "'; declared: " + sources.keySet());
    }
    return source;
  }

  Collection<S> sources() {
    return sources.values();
  }

  Set<String> names() {
    return sources.keySet();
  }

  int requested(String name) {
    return sources.containsKey(name) ? 1 : 0;
  }

  List<GrantedInterrupt> assign(String name) {
    GrantedInterrupt grant = granted.get(name);
    return grant == null ? List.of() : List.of(grant);
  }
}
