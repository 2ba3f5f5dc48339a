package dev.udriver.processor.rules;

import dev.udriver.processor.diag.RuleId;
import dev.udriver.processor.rules.body.ArbitraryThreadUsesTryAcquire;
import dev.udriver.processor.rules.body.CallbackNotInvokedDirectly;
import dev.udriver.processor.rules.body.DeviceLockBalanced;
import dev.udriver.processor.rules.body.DeviceLockNotUnderInterruptLock;
import dev.udriver.processor.rules.body.ExplicitDisableEnableBalanced;
import dev.udriver.processor.rules.body.HoldingContract;
import dev.udriver.processor.rules.body.InterruptLockBalancedOnExit;
import dev.udriver.processor.rules.body.InterruptLockNoRecursion;
import dev.udriver.processor.rules.body.InterruptLockNotUnderDeviceLock;
import dev.udriver.processor.rules.body.InterruptLockStrictAlternation;
import dev.udriver.processor.rules.body.IsrNoBlocking;
import dev.udriver.processor.rules.body.IsrReturnContract;
import dev.udriver.processor.rules.body.IsrSafeContract;
import dev.udriver.processor.rules.body.LockedRegionNoBlockingOrIo;
import dev.udriver.processor.rules.body.NoDisableOrWaitUnderLock;
import dev.udriver.processor.rules.body.NoDisableUnderDeviceLock;
import dev.udriver.processor.rules.body.QueueWorkitemOnlyFromIsr;
import dev.udriver.processor.rules.body.SignalsInCallOnlyFromIsr;
import dev.udriver.processor.rules.body.TryAcquireResultChecked;
import dev.udriver.processor.rules.body.WorkitemDeclaredIfQueued;
import dev.udriver.processor.rules.decl.CallbackModifiers;
import dev.udriver.processor.rules.decl.DisableSignature;
import dev.udriver.processor.rules.decl.DriverNotInstantiable;
import dev.udriver.processor.rules.decl.DriverTypeParameters;
import dev.udriver.processor.rules.decl.EnableDisablePair;
import dev.udriver.processor.rules.decl.EnableSignature;
import dev.udriver.processor.rules.decl.IsrSignature;
import dev.udriver.processor.rules.decl.MissingIsr;
import dev.udriver.processor.rules.decl.OneCallbackPerRole;
import dev.udriver.processor.rules.decl.OneIsrPerInterrupt;
import dev.udriver.processor.rules.decl.OneRolePerMethod;
import dev.udriver.processor.rules.decl.PolicyGroup;
import dev.udriver.processor.rules.decl.PolicyOnNonIsr;
import dev.udriver.processor.rules.decl.PolicyProcessorRange;
import dev.udriver.processor.rules.decl.PolicyProcessorRepeated;
import dev.udriver.processor.rules.decl.PolicyProcessors;
import dev.udriver.processor.rules.decl.PolicyWithoutInterrupts;
import dev.udriver.processor.rules.decl.UnnamedInterruptAmbiguous;
import dev.udriver.processor.rules.decl.WorkItemSignature;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one list of rules, in the order they run and are documented: declaration rules first (the
 * driver class, its policies, its callbacks, how they fit together), then the body rules. Adding a
 * rule means adding its class here; everything else (docs, SARIF, suppression ids) derives from its
 * {@link RuleInfo}.
 */
public final class RuleRegistry {

  private static final List<Rule> ALL =
      List.of(
          new DriverNotInstantiable(),
          new DriverTypeParameters(),
          new PolicyProcessors(),
          new PolicyProcessorRange(),
          new PolicyProcessorRepeated(),
          new PolicyGroup(),
          new PolicyOnNonIsr(),
          new PolicyWithoutInterrupts(),
          new CallbackModifiers(),
          new IsrSignature(),
          new WorkItemSignature(),
          new EnableSignature(),
          new DisableSignature(),
          new OneRolePerMethod(),
          new OneIsrPerInterrupt(),
          new OneCallbackPerRole(),
          new MissingIsr(),
          new EnableDisablePair(),
          new UnnamedInterruptAmbiguous(),
          new CallbackNotInvokedDirectly(),
          new InterruptLockNoRecursion(),
          new InterruptLockBalancedOnExit(),
          new InterruptLockStrictAlternation(),
          new TryAcquireResultChecked(),
          new ArbitraryThreadUsesTryAcquire(),
          new IsrNoBlocking(),
          new LockedRegionNoBlockingOrIo(),
          new IsrSafeContract(),
          new HoldingContract(),
          new QueueWorkitemOnlyFromIsr(),
          new SignalsInCallOnlyFromIsr(),
          new WorkitemDeclaredIfQueued(),
          new NoDisableOrWaitUnderLock(),
          new ExplicitDisableEnableBalanced(),
          new IsrReturnContract(),
          new DeviceLockNotUnderInterruptLock(),
          new DeviceLockBalanced(),
          new InterruptLockNotUnderDeviceLock(),
          new NoDisableUnderDeviceLock());

  private static final Map<RuleId, RuleInfo> INFO = index();

  private RuleRegistry() {}

  /** Every rule, in order. */
  public static List<Rule> all() {
    return ALL;
  }

  /** The declaration rules, in order. */
  public static List<DeclarationRule> declarationRules() {
    List<DeclarationRule> rules = new ArrayList<>();
    for (Rule rule : ALL) {
      if (rule instanceof DeclarationRule) {
        rules.add((DeclarationRule) rule);
      }
    }
    return rules;
  }

  /** The body rules, in order. */
  public static List<BodyRule> bodyRules() {
    List<BodyRule> rules = new ArrayList<>();
    for (Rule rule : ALL) {
      if (rule instanceof BodyRule) {
        rules.add((BodyRule) rule);
      }
    }
    return rules;
  }

  /** The metadata of a rule id, if the id names a rule (and not a processor note or failure). */
  public static Optional<RuleInfo> info(RuleId id) {
    return Optional.ofNullable(INFO.get(id));
  }

  /** How findings of {@code id} are printed; ids that are no rule report errors. */
  public static Severity severity(RuleId id) {
    RuleInfo info = INFO.get(id);
    return info == null ? Severity.ERROR : info.severity();
  }

  private static Map<RuleId, RuleInfo> index() {
    Map<RuleId, RuleInfo> index = new EnumMap<>(RuleId.class);
    for (Rule rule : ALL) {
      RuleInfo previous = index.put(rule.id(), rule.info());
      if (previous != null) {
        throw new IllegalStateException("two rules with id " + rule.id());
      }
    }
    return index;
  }
}
