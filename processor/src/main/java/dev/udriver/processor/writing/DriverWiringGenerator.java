package dev.udriver.processor.writing;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.udriver.annotation.AffinityPolicy;
import dev.udriver.annotation.InterruptPriority;
import dev.udriver.annotation.ShareVector;
import dev.udriver.processor.model.CallbackMethod;
import dev.udriver.processor.model.CallbackRole;
import dev.udriver.processor.model.DriverModel;
import dev.udriver.processor.model.InterruptModel;
import dev.udriver.processor.model.PolicyModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;

/**
 * Writes the {@code DriverWiring} of a validated driver as a Java source (option {@code
 * udriver.wiring=source}; {@link WiringClassGenerator} writes the default class files): one {@code
 * InterruptConfig} per interrupt, in declaration order, whose callbacks (the wiring class itself
 * for a driver with one interrupt, a small nested class per interrupt otherwise) call the driver's
 * methods directly. No reflection, method handles, lambdas or method references, so an
 * interrupt's path is plain virtual calls and nothing is captured per signal. Builder setters are
 * emitted only where a value differs from {@code WUDF_INTERRUPT_CONFIG_INIT}'s default; the policy
 * whenever one applies.
 */
public final class DriverWiringGenerator {

  private static final String RUNTIME_PACKAGE = "dev.udriver.runtime";
  private static final ClassName DRIVER_WIRING = ClassName.get(RUNTIME_PACKAGE, "DriverWiring");
  private static final ClassName INTERRUPT_CONFIG =
      ClassName.get(RUNTIME_PACKAGE, "InterruptConfig");
  private static final ClassName INTERRUPT = ClassName.get(RUNTIME_PACKAGE, "Interrupt");
  private static final ClassName DEVICE = ClassName.get(RUNTIME_PACKAGE, "Device");
  private static final ClassName EXTENDED_POLICY = ClassName.get(RUNTIME_PACKAGE, "ExtendedPolicy");
  private static final ClassName GENERATED =
      ClassName.get("javax.annotation.processing", "Generated");
  private static final String PROCESSOR_NAME = "dev.udriver.processor.UdriverProcessor";
  private static final AnnotationSpec GENERATED_ANNOTATION =
      AnnotationSpec.builder(GENERATED).addMember("value", "$S", PROCESSOR_NAME).build();
  private static final String DRIVER = "driver";
  private static final String SINGLE_CALLBACKS = "callbacks";

  /**
   * How one role's callback interface looks in the runtime's {@code InterruptConfig}.
   *
   * @param interfaceName the nested interface, e.g. {@code Isr}
   * @param methodName its single method
   * @param returnType its return type
   * @param deviceParameter the name of its {@code Device} parameter, null for the ISR
   * @param builderSetter the {@code Builder} method that takes it, null for the ISR
   * @param throwsException whether the method declares {@code throws Exception}
   */
  private record CallbackInterface(
      String interfaceName,
      String methodName,
      TypeName returnType,
      String deviceParameter,
      String builderSetter,
      boolean throwsException) {}

  private static CallbackInterface callbackInterface(CallbackRole role) {
    return switch (role) {
      case ISR -> new CallbackInterface(
          "Isr", "onInterruptIsr", TypeName.BOOLEAN, null, null, false);
      case WORK_ITEM -> new CallbackInterface(
          "WorkItem", "onInterruptWorkItem", TypeName.VOID, "associatedObject", "workItem", false);
      case ENABLE -> new CallbackInterface(
          "Enable", "onInterruptEnable", TypeName.VOID, "device", "enable", true);
      case DISABLE -> new CallbackInterface(
          "Disable", "onInterruptDisable", TypeName.VOID, "device", "disable", true);
    };
  }

  /**
   * The wiring source of {@code model}, which must have passed validation. A driver with one
   * interrupt gets one class that is both the {@code DriverWiring} and the callbacks (the instance
   * {@code interruptConfigs} creates holds the driver); a driver with several interrupts gets a
   * small nested callbacks class per interrupt. Javac compiles one class file per single-interrupt
   * driver, which is most of the processor's cost in a large build.
   */
  public JavaFile generate(DriverModel model) {
    ClassName driver = ClassName.get(model.type());
    String wiringName = WiringNames.wiringSimpleName(model.type());
    ClassName wiringClass = ClassName.get(WiringNames.packageName(model.type()), wiringName);
    boolean single = model.interrupts().size() == 1;
    Map<String, String> callbacksNames =
        single
            ? Map.of()
            : WiringNames.callbacksClassNames(
                model.interrupts().stream().map(InterruptModel::name).collect(Collectors.toList()));

    TypeSpec.Builder wiring =
        TypeSpec.classBuilder(wiringName)
            .addOriginatingElement(WiringNames.topLevelType(model.type()))
            .addJavadoc("Wires {@link $T}. Generated by the udriver processor; do not edit.\n", driver)
            .addAnnotation(GENERATED_ANNOTATION)
            .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
            .addSuperinterface(ParameterizedTypeName.get(DRIVER_WIRING, driver));
    if (single) {
      wiring
          .addField(driver, DRIVER, Modifier.PRIVATE, Modifier.FINAL)
          .addMethod(
              MethodSpec.constructorBuilder()
                  .addModifiers(Modifier.PUBLIC)
                  .addStatement("this.$N = null", DRIVER)
                  .build())
          .addMethod(
              MethodSpec.constructorBuilder()
                  .addModifiers(Modifier.PRIVATE)
                  .addParameter(driver, DRIVER)
                  .addStatement("this.$N = $N", DRIVER, DRIVER)
                  .build());
    } else {
      wiring.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC).build());
    }
    wiring
        .addMethod(
            MethodSpec.methodBuilder("driverType")
                .addModifiers(Modifier.PUBLIC)
                .returns(ParameterizedTypeName.get(ClassName.get(Class.class), driver))
                .addStatement("return $T.class", driver)
                .build())
        .addMethod(interruptConfigs(model, driver, wiringClass, callbacksNames));
    if (single) {
      addCallbacks(wiring, model.interrupts().get(0));
    } else {
      for (InterruptModel interrupt : model.interrupts()) {
        wiring.addType(callbacksClass(interrupt, driver, callbacksNames.get(interrupt.name())));
      }
    }
    return JavaFile.builder(WiringNames.packageName(model.type()), wiring.build())
        .skipJavaLangImports(true)
        .build();
  }

  private static MethodSpec interruptConfigs(
      DriverModel model,
      ClassName driver,
      ClassName wiring,
      Map<String, String> callbacksNames) {
    String nullMessage = WiringLayout.nullDriverMessage(model);
    CodeBlock.Builder body = CodeBlock.builder();
    List<CodeBlock> configs = new ArrayList<>();
    if (callbacksNames.isEmpty()) {
      body.addStatement(
          "$T $N = new $T($T.requireNonNull($N, $S))",
          wiring,
          SINGLE_CALLBACKS,
          wiring,
          Objects.class,
          DRIVER,
          nullMessage);
      configs.add(config(model.interrupts().get(0), SINGLE_CALLBACKS));
    } else {
      body.addStatement("$T.requireNonNull($N, $S)", Objects.class, DRIVER, nullMessage);
      for (InterruptModel interrupt : model.interrupts()) {
        ClassName callbacksClass = wiring.nestedClass(callbacksNames.get(interrupt.name()));
        String variable = WiringNames.lowerCamel(callbacksClass.simpleName());
        body.addStatement("$T $N = new $T($N)", callbacksClass, variable, callbacksClass, DRIVER);
        configs.add(config(interrupt, variable));
      }
    }
    body.add("return $T.of(\n$>$>", List.class)
        .add(CodeBlock.join(configs, ",\n"))
        .add(");\n$<$<");
    return MethodSpec.methodBuilder("interruptConfigs")
        .addModifiers(Modifier.PUBLIC)
        .returns(ParameterizedTypeName.get(ClassName.get(List.class), INTERRUPT_CONFIG))
        .addParameter(driver, DRIVER)
        .addCode(body.build())
        .build();
  }

  private static CodeBlock config(InterruptModel interrupt, String callbacks) {
    List<CodeBlock> setters = new ArrayList<>();
    for (CallbackMethod callback : WiringLayout.inRoleOrder(interrupt)) {
      String setter = callbackInterface(callback.role()).builderSetter();
      if (setter != null) {
        setters.add(CodeBlock.of(".$N($N)", setter, callbacks));
      }
    }
    if (interrupt.shareVector() != ShareVector.USE_DEFAULT) {
      setters.add(
          CodeBlock.of(".shareVector($T.$N)", ShareVector.class, interrupt.shareVector().name()));
    }
    if (interrupt.automaticSerialization()) {
      setters.add(CodeBlock.of(".automaticSerialization(true)"));
    }
    if (!interrupt.lockGroup().isEmpty()) {
      setters.add(CodeBlock.of(".lockGroup($S)", interrupt.lockGroup()));
    }
    interrupt
        .policy()
        .ifPresent(policy -> setters.add(CodeBlock.of(".policy($L)", extendedPolicy(policy))));
    CodeBlock start =
        CodeBlock.of("$T.builder($S, $N)", INTERRUPT_CONFIG, interrupt.name(), callbacks);
    if (setters.isEmpty()) {
      return CodeBlock.of("$L.build()", start);
    }
    // One setter per line, as a hand-written builder chain would read.
    return CodeBlock.builder()
        .add("$L$>$>\n", start)
        .add(CodeBlock.join(setters, "\n"))
        .add("\n.build()$<$<")
        .build();
  }

  private static CodeBlock extendedPolicy(PolicyModel policy) {
    long mask = policy.processorMask();
    return CodeBlock.of(
        "new $T($T.$N, $T.$N, $L, $L)",
        EXTENDED_POLICY,
        AffinityPolicy.class,
        policy.policy().name(),
        InterruptPriority.class,
        policy.priority().name(),
        mask == 0L ? "0L" : "0x" + Long.toHexString(mask) + "L",
        policy.group());
  }

  private static TypeSpec callbacksClass(
      InterruptModel interrupt, ClassName driver, String className) {
    TypeSpec.Builder callbacks =
        TypeSpec.classBuilder(className)
            .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .addField(driver, DRIVER, Modifier.PRIVATE, Modifier.FINAL)
            .addMethod(
                MethodSpec.constructorBuilder()
                    .addParameter(driver, DRIVER)
                    .addStatement("this.$N = $N", DRIVER, DRIVER)
                    .build());
    addCallbacks(callbacks, interrupt);
    return callbacks.build();
  }

  /** Makes {@code type} implement the interrupt's callback interfaces by calling the driver. */
  private static void addCallbacks(TypeSpec.Builder type, InterruptModel interrupt) {
    for (CallbackMethod callback : WiringLayout.inRoleOrder(interrupt)) {
      CallbackInterface target = callbackInterface(callback.role());
      type.addSuperinterface(INTERRUPT_CONFIG.nestedClass(target.interfaceName()));
      type.addMethod(adapter(callback, target));
    }
  }

  /** One interface method that passes on just the arguments the driver's method declares. */
  private static MethodSpec adapter(CallbackMethod callback, CallbackInterface target) {
    MethodSpec.Builder method =
        MethodSpec.methodBuilder(target.methodName())
            .addModifiers(Modifier.PUBLIC)
            .returns(target.returnType())
            .addParameter(INTERRUPT, "interrupt");
    if (target.deviceParameter() == null) {
      method.addParameter(TypeName.INT, "messageId");
    } else {
      method.addParameter(DEVICE, target.deviceParameter());
    }
    if (target.throwsException()) {
      method.addException(Exception.class);
    }
    String arguments = String.join(", ", callback.shape().orElseThrow().argumentNames());
    String call = target.returnType().equals(TypeName.VOID) ? "$N.$N($L)" : "return $N.$N($L)";
    return method.addStatement(call, DRIVER, callback.methodName(), arguments).build();
  }
}
