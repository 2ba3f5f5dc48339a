package dev.udriver.runtime.linux;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.udriver.runtime.DeviceListener;
import dev.udriver.runtime.DriverWiring;
import dev.udriver.runtime.HandWiring;
import dev.udriver.runtime.Interrupt;
import dev.udriver.runtime.InterruptConfig;
import dev.udriver.runtime.InterruptStatistics;
import dev.udriver.runtime.VerifierFinding;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Helpers for the Linux source tests. */
final class LinuxTestSupport {

  static final long TIMEOUT_MILLIS = 10_000;
  private static final AtomicInteger IDS = new AtomicInteger();

  private LinuxTestSupport() {}

  /** Skips the test off Linux (or with the kill switch), naming why. */
  static void assumeLinux() {
    assumeTrue(
        LinuxInterrupts.isAvailable(),
        () -> "Linux interfaces unavailable: " + LinuxInterrupts.unavailabilityCause());
  }

  static String uniqueName(String prefix) {
    return prefix + IDS.incrementAndGet();
  }

  static DriverWiring<Object> wiring(InterruptConfig... configs) {
    return HandWiring.of(configs);
  }

  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting until " + what);
      }
      LockSupport.parkNanos(200_000);
    }
  }

  /** Every signal is an ISR call, a coalesced signal or a dropped one. */
  static boolean accounted(InterruptStatistics s) {
    return s.signals() == s.isrCalls() + s.coalesced() + s.dropped();
  }

  static String describe(Interrupt interrupt) {
    return interrupt + " " + interrupt.getStatistics();
  }

  /** A listener that records failures and warnings. */
  static final class Recording implements DeviceListener {
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    final List<String> warnings = new CopyOnWriteArrayList<>();
    /** Verifier findings by rule: counted, not kept (a test may provoke one per ISR call). */
    final Map<String, LongAdder> findings = new ConcurrentHashMap<>();
    /** Rules a test provokes on purpose: counted only; any other finding is logged as well. */
    private final Set<String> expectedRules;

    Recording(String... expectedRules) {
      this.expectedRules = Set.of(expectedRules);
    }

    @Override
    public void verifierFinding(VerifierFinding finding) {
      findings.computeIfAbsent(finding.rule(), rule -> new LongAdder()).increment();
      if (!expectedRules.contains(finding.rule())) {
        DeviceListener.LOGGING.verifierFinding(finding);
      }
    }

    long findings(String rule) {
      LongAdder count = findings.get(rule);
      return count == null ? 0 : count.sum();
    }

    @Override
    public void callbackFailed(Interrupt interrupt, String callback, Throwable failure) {
      failures.add(failure);
    }

    @Override
    public void warning(String message) {
      warnings.add(message);
    }
  }
}
