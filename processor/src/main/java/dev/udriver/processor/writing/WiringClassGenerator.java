package dev.udriver.processor.writing;

import dev.udriver.annotation.ShareVector;
import dev.udriver.processor.model.CallbackMethod;
import dev.udriver.processor.model.CallbackRole;
import dev.udriver.processor.model.DriverModel;
import dev.udriver.processor.model.InterruptModel;
import dev.udriver.processor.model.ParameterKind;
import dev.udriver.processor.model.PolicyModel;
import dev.udriver.processor.model.SignatureShape;
import dev.udriver.processor.writing.SourceLines.DriverLines;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Writes the wiring of a validated driver directly as class files (the default form, option {@code
 * udriver.wiring=class}): the same classes, fields, constructors and calls that javac compiles from
 * {@link DriverWiringGenerator}'s source, so javac has no generated source to parse and compile.
 * The class files target Java 17 (the oldest javac the processor supports; the runtime needs 25,
 * so every JVM that runs a driver loads them) and contain no branches, so they need no stack map
 * frames and ASM never has to load a class to compute one.
 *
 * <p>Where {@link SourceLines} knows them, each class names the driver's source file (SourceFile)
 * and each method starts with a line number: a callback adapter the line of the driver method it
 * calls, every other method the line of the driver's declaration. A stack trace through the wiring
 * then reads {@code at com.acme.Uart_Wiring$RxCallbacks.onInterruptIsr(Uart.java:42)}, and a
 * debugger steps from the adapter into the driver's source.
 */
public final class WiringClassGenerator {

  private static final int CLASS_VERSION = Opcodes.V17;
  private static final String OBJECT = "java/lang/Object";
  private static final String RUNTIME = "dev/udriver/runtime/";
  private static final String DRIVER_WIRING = RUNTIME + "DriverWiring";
  private static final String INTERRUPT_CONFIG = RUNTIME + "InterruptConfig";
  private static final String BUILDER = INTERRUPT_CONFIG + "$Builder";
  private static final String EXTENDED_POLICY = RUNTIME + "ExtendedPolicy";
  private static final String INTERRUPT_DESCRIPTOR = "L" + RUNTIME + "Interrupt;";
  private static final String DEVICE_DESCRIPTOR = "L" + RUNTIME + "Device;";
  private static final String BUILDER_DESCRIPTOR = "L" + BUILDER + ";";
  private static final String CONFIG_DESCRIPTOR = "L" + INTERRUPT_CONFIG + ";";
  private static final String ANNOTATION = "dev/udriver/annotation/";
  private static final String DRIVER = "driver";
  /** {@code List.of} has fixed-arity overloads up to this many elements, varargs beyond. */
  private static final int LIST_OF_FIXED_ARITY = 10;

  /** One role's callback interface in the runtime's {@code InterruptConfig}. */
  private record CallbackInterface(
      String internalName,
      String simpleName,
      String methodName,
      String descriptor,
      String builderSetter,
      boolean throwsException) {}

  private static CallbackInterface callbackInterface(CallbackRole role) {
    String deviceMethod = "(" + INTERRUPT_DESCRIPTOR + DEVICE_DESCRIPTOR + ")V";
    return switch (role) {
      case ISR -> new CallbackInterface(
          INTERRUPT_CONFIG + "$Isr", "Isr", "onInterruptIsr", "(" + INTERRUPT_DESCRIPTOR + "I)Z",
          null, false);
      case WORK_ITEM -> new CallbackInterface(
          INTERRUPT_CONFIG + "$WorkItem", "WorkItem", "onInterruptWorkItem", deviceMethod,
          "workItem", false);
      case ENABLE -> new CallbackInterface(
          INTERRUPT_CONFIG + "$Enable", "Enable", "onInterruptEnable", deviceMethod, "enable",
          true);
      case DISABLE -> new CallbackInterface(
          INTERRUPT_CONFIG + "$Disable", "Disable", "onInterruptDisable", deviceMethod, "disable",
          true);
    };
  }

  /** An InnerClasses entry (JVMS 4.7.6) for a nested type that a wiring class refers to. */
  private record InnerClass(String name, String outerName, String simpleName, int access) {}

  private final Elements elements;
  private final SourceLines sourceLines;

  /**
   * @param sourceLines where the drivers are declared, for the debug attributes; {@link
   *     SourceLines#NONE} leaves them out
   */
  public WiringClassGenerator(Elements elements, SourceLines sourceLines) {
    this.elements = elements;
    this.sourceLines = sourceLines;
  }

  /**
   * The class files of {@code model}'s wiring, which must have passed validation, by binary name:
   * the wiring class first, then its nested callbacks classes (one per interrupt when there are
   * several, none for a single interrupt, whose wiring class is its own callbacks).
   */
  public Map<String, byte[]> generate(DriverModel model) {
    String driver = elements.getBinaryName(model.type()).toString().replace('.', '/');
    String packageName = WiringNames.packageName(model.type());
    String wiringSimpleName = WiringNames.wiringSimpleName(model.type());
    String wiring =
        packageName.isEmpty()
            ? wiringSimpleName
            : packageName.replace('.', '/') + "/" + wiringSimpleName;
    boolean driverIsInterface = model.type().getKind() == ElementKind.INTERFACE;
    List<InnerClass> driverNesting = nesting(model.type());
    DriverLines debug = debug(model);
    Map<String, byte[]> classes = new LinkedHashMap<>();
    if (model.interrupts().size() == 1) {
      classes.put(
          wiring.replace('/', '.'),
          singleWiring(model, driver, driverIsInterface, wiring, driverNesting, debug));
      return classes;
    }
    Map<String, String> nestedNames =
        WiringNames.callbacksClassNames(
            model.interrupts().stream().map(InterruptModel::name).collect(Collectors.toList()));
    classes.put(
        wiring.replace('/', '.'),
        multiWiring(model, driver, wiring, nestedNames, driverNesting, debug));
    for (InterruptModel interrupt : model.interrupts()) {
      String simpleName = nestedNames.get(interrupt.name());
      String nested = wiring + "$" + simpleName;
      classes.put(
          nested.replace('/', '.'),
          callbacksClass(
              interrupt,
              driver,
              driverIsInterface,
              wiring,
              nested,
              simpleName,
              driverNesting,
              debug));
    }
    return classes;
  }

  private DriverLines debug(DriverModel model) {
    Set<ExecutableElement> callbackMethods = new LinkedHashSet<>();
    for (CallbackMethod callback : model.callbacks()) {
      callbackMethods.add(callback.method());
    }
    return sourceLines.of(model.type(), callbackMethods);
  }

  /** The SourceFile attribute, where the driver's file is known. */
  private static void visitSource(ClassWriter cw, DriverLines debug) {
    if (debug.sourceFile() != null) {
      cw.visitSource(debug.sourceFile(), null);
    }
  }

  /** The InnerClasses entries of a nested driver type and each nested type around it. */
  private List<InnerClass> nesting(TypeElement driver) {
    List<InnerClass> entries = new ArrayList<>();
    for (Element type = driver;
        type.getEnclosingElement() instanceof TypeElement;
        type = type.getEnclosingElement()) {
      TypeElement nested = (TypeElement) type;
      entries.add(
          new InnerClass(
              internalName(nested),
              internalName((TypeElement) nested.getEnclosingElement()),
              nested.getSimpleName().toString(),
              innerAccess(nested)));
    }
    return entries;
  }

  private String internalName(TypeElement type) {
    return elements.getBinaryName(type).toString().replace('.', '/');
  }

  /** A member type's flags as javac writes them in InnerClasses. */
  private static int innerAccess(TypeElement type) {
    Set<Modifier> modifiers = type.getModifiers();
    int access = 0;
    if (modifiers.contains(Modifier.PUBLIC)) {
      access |= Opcodes.ACC_PUBLIC;
    }
    if (modifiers.contains(Modifier.PROTECTED)) {
      access |= Opcodes.ACC_PROTECTED;
    }
    if (modifiers.contains(Modifier.PRIVATE)) {
      access |= Opcodes.ACC_PRIVATE;
    }
    if (modifiers.contains(Modifier.STATIC)) {
      access |= Opcodes.ACC_STATIC;
    }
    if (modifiers.contains(Modifier.FINAL)) {
      access |= Opcodes.ACC_FINAL;
    }
    if (modifiers.contains(Modifier.ABSTRACT)) {
      access |= Opcodes.ACC_ABSTRACT;
    }
    switch (type.getKind()) {
      case INTERFACE:
        access |= Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT | Opcodes.ACC_STATIC;
        break;
      case ANNOTATION_TYPE:
        access |=
            Opcodes.ACC_ANNOTATION
                | Opcodes.ACC_INTERFACE
                | Opcodes.ACC_ABSTRACT
                | Opcodes.ACC_STATIC;
        break;
      case ENUM:
        access |= Opcodes.ACC_ENUM | Opcodes.ACC_STATIC;
        break;
      default:
        if (type.getKind().name().equals("RECORD")) { // ElementKind.RECORD is Java 16+ API
          access |= Opcodes.ACC_STATIC | Opcodes.ACC_FINAL;
        }
        break;
    }
    return access;
  }

  /** One interrupt: the wiring class holds the driver and implements the callbacks itself. */
  private static byte[] singleWiring(
      DriverModel model,
      String driver,
      boolean driverIsInterface,
      String wiring,
      List<InnerClass> driverNesting,
      DriverLines debug) {
    InterruptModel interrupt = model.interrupts().get(0);
    List<CallbackMethod> callbacks = WiringLayout.inRoleOrder(interrupt);
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    cw.visit(
        CLASS_VERSION,
        Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER,
        wiring,
        wiringSignature(driver, callbacks),
        OBJECT,
        interfaces(DRIVER_WIRING, callbacks));
    visitSource(cw, debug);
    visitInnerClasses(cw, driverNesting, roles(callbacks), true);
    String driverDescriptor = "L" + driver + ";";
    cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, DRIVER, driverDescriptor, null, null)
        .visitEnd();

    MethodVisitor noDriver = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
    startCode(noDriver, debug.typeLine());
    noDriver.visitVarInsn(Opcodes.ALOAD, 0);
    noDriver.visitMethodInsn(Opcodes.INVOKESPECIAL, OBJECT, "<init>", "()V", false);
    noDriver.visitVarInsn(Opcodes.ALOAD, 0);
    noDriver.visitInsn(Opcodes.ACONST_NULL);
    noDriver.visitFieldInsn(Opcodes.PUTFIELD, wiring, DRIVER, driverDescriptor);
    noDriver.visitInsn(Opcodes.RETURN);
    finish(noDriver);
    driverConstructor(cw, Opcodes.ACC_PRIVATE, wiring, driverDescriptor, debug.typeLine());

    driverType(cw, driver, debug.typeLine());
    MethodVisitor configs = interruptConfigsStart(cw, driver, debug.typeLine());
    // new Wiring(Objects.requireNonNull(driver, message)) in local 2
    configs.visitTypeInsn(Opcodes.NEW, wiring);
    configs.visitInsn(Opcodes.DUP);
    requireNonNull(configs, model);
    configs.visitTypeInsn(Opcodes.CHECKCAST, driver);
    configs.visitMethodInsn(
        Opcodes.INVOKESPECIAL, wiring, "<init>", "(" + driverDescriptor + ")V", false);
    configs.visitVarInsn(Opcodes.ASTORE, 2);
    config(configs, interrupt, 2);
    listOf(configs, 1);
    interruptConfigsEnd(cw, configs, driver, wiring, debug.typeLine());

    for (CallbackMethod callback : callbacks) {
      adapter(cw, callback, driver, driverIsInterface, wiring, debug.line(callback.method()));
    }
    cw.visitEnd();
    return cw.toByteArray();
  }

  /** Several interrupts: the wiring class creates one nested callbacks class per interrupt. */
  private static byte[] multiWiring(
      DriverModel model,
      String driver,
      String wiring,
      Map<String, String> nestedNames,
      List<InnerClass> driverNesting,
      DriverLines debug) {
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    cw.visit(
        CLASS_VERSION,
        Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER,
        wiring,
        wiringSignature(driver, List.of()),
        OBJECT,
        new String[] {DRIVER_WIRING});
    visitSource(cw, debug);
    for (InterruptModel interrupt : model.interrupts()) {
      cw.visitNestMember(wiring + "$" + nestedNames.get(interrupt.name()));
    }
    // The builder calls name the ISR interface and the interface of every setter used.
    Set<CallbackRole> referenced = EnumSet.of(CallbackRole.ISR);
    for (InterruptModel interrupt : model.interrupts()) {
      referenced.addAll(roles(WiringLayout.inRoleOrder(interrupt)));
    }
    visitInnerClasses(cw, driverNesting, referenced, true);
    for (InterruptModel interrupt : model.interrupts()) {
      String simpleName = nestedNames.get(interrupt.name());
      cw.visitInnerClass(wiring + "$" + simpleName, wiring, simpleName, NESTED_ACCESS);
    }

    MethodVisitor constructor = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
    startCode(constructor, debug.typeLine());
    constructor.visitVarInsn(Opcodes.ALOAD, 0);
    constructor.visitMethodInsn(Opcodes.INVOKESPECIAL, OBJECT, "<init>", "()V", false);
    constructor.visitInsn(Opcodes.RETURN);
    finish(constructor);

    driverType(cw, driver, debug.typeLine());
    MethodVisitor configs = interruptConfigsStart(cw, driver, debug.typeLine());
    requireNonNull(configs, model);
    configs.visitInsn(Opcodes.POP);
    int local = 2;
    for (InterruptModel interrupt : model.interrupts()) {
      String nested = wiring + "$" + nestedNames.get(interrupt.name());
      configs.visitTypeInsn(Opcodes.NEW, nested);
      configs.visitInsn(Opcodes.DUP);
      configs.visitVarInsn(Opcodes.ALOAD, 1);
      configs.visitMethodInsn(
          Opcodes.INVOKESPECIAL, nested, "<init>", "(L" + driver + ";)V", false);
      configs.visitVarInsn(Opcodes.ASTORE, local++);
    }
    int count = model.interrupts().size();
    boolean varargs = count > LIST_OF_FIXED_ARITY;
    if (varargs) {
      pushInt(configs, count);
      configs.visitTypeInsn(Opcodes.ANEWARRAY, INTERRUPT_CONFIG);
    }
    for (int i = 0; i < count; i++) {
      if (varargs) {
        configs.visitInsn(Opcodes.DUP);
        pushInt(configs, i);
      }
      config(configs, model.interrupts().get(i), 2 + i);
      if (varargs) {
        configs.visitInsn(Opcodes.AASTORE);
      }
    }
    listOf(configs, count);
    interruptConfigsEnd(cw, configs, driver, wiring, debug.typeLine());
    cw.visitEnd();
    return cw.toByteArray();
  }

  private static final int NESTED_ACCESS =
      Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL;

  /** The private static nested class that serves one interrupt of a multi-interrupt driver. */
  private static byte[] callbacksClass(
      InterruptModel interrupt,
      String driver,
      boolean driverIsInterface,
      String wiring,
      String nested,
      String simpleName,
      List<InnerClass> driverNesting,
      DriverLines debug) {
    List<CallbackMethod> callbacks = WiringLayout.inRoleOrder(interrupt);
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    // A nested class's own access flags: private and static live only in InnerClasses.
    cw.visit(
        CLASS_VERSION,
        Opcodes.ACC_FINAL | Opcodes.ACC_SUPER,
        nested,
        null,
        OBJECT,
        interfaces(null, callbacks));
    visitSource(cw, debug);
    cw.visitNestHost(wiring);
    cw.visitInnerClass(nested, wiring, simpleName, NESTED_ACCESS);
    visitInnerClasses(cw, driverNesting, roles(callbacks), false);
    String driverDescriptor = "L" + driver + ";";
    cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, DRIVER, driverDescriptor, null, null)
        .visitEnd();
    driverConstructor(cw, 0, nested, driverDescriptor, debug.typeLine());
    for (CallbackMethod callback : callbacks) {
      adapter(cw, callback, driver, driverIsInterface, nested, debug.line(callback.method()));
    }
    cw.visitEnd();
    return cw.toByteArray();
  }

  /** The generic signature: the superclass, then every superinterface, as javac writes it. */
  private static String wiringSignature(String driver, List<CallbackMethod> callbacks) {
    StringBuilder signature =
        new StringBuilder("L" + OBJECT + ";L" + DRIVER_WIRING + "<L" + driver + ";>;");
    for (CallbackMethod callback : callbacks) {
      signature.append('L').append(callbackInterface(callback.role()).internalName()).append(';');
    }
    return signature.toString();
  }

  private static String[] interfaces(String first, List<CallbackMethod> callbacks) {
    String[] names = new String[callbacks.size() + (first == null ? 0 : 1)];
    int i = 0;
    if (first != null) {
      names[i++] = first;
    }
    for (CallbackMethod callback : callbacks) {
      names[i++] = callbackInterface(callback.role()).internalName();
    }
    return names;
  }

  private static Set<CallbackRole> roles(List<CallbackMethod> callbacks) {
    Set<CallbackRole> roles = EnumSet.noneOf(CallbackRole.class);
    for (CallbackMethod callback : callbacks) {
      roles.add(callback.role());
    }
    return roles;
  }

  /**
   * InnerClasses entries for every nested type the class refers to, as javac writes them: the
   * driver and the types around it, the runtime's builder and the callback interfaces named.
   */
  private static void visitInnerClasses(
      ClassWriter cw,
      List<InnerClass> driverNesting,
      Set<CallbackRole> callbackInterfaces,
      boolean buildsConfigs) {
    for (InnerClass entry : driverNesting) {
      cw.visitInnerClass(entry.name(), entry.outerName(), entry.simpleName(), entry.access());
    }
    int interfaceAccess =
        Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT | Opcodes.ACC_INTERFACE;
    if (buildsConfigs) {
      cw.visitInnerClass(
          BUILDER,
          INTERRUPT_CONFIG,
          "Builder",
          Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL);
    }
    for (CallbackRole role : callbackInterfaces) {
      CallbackInterface target = callbackInterface(role);
      cw.visitInnerClass(
          target.internalName(), INTERRUPT_CONFIG, target.simpleName(), interfaceAccess);
    }
  }

  /** A constructor that stores its one argument in the {@code driver} field. */
  private static void driverConstructor(
      ClassWriter cw, int access, String owner, String driverDescriptor, int line) {
    MethodVisitor constructor =
        cw.visitMethod(access, "<init>", "(" + driverDescriptor + ")V", null, null);
    startCode(constructor, line);
    constructor.visitVarInsn(Opcodes.ALOAD, 0);
    constructor.visitMethodInsn(Opcodes.INVOKESPECIAL, OBJECT, "<init>", "()V", false);
    constructor.visitVarInsn(Opcodes.ALOAD, 0);
    constructor.visitVarInsn(Opcodes.ALOAD, 1);
    constructor.visitFieldInsn(Opcodes.PUTFIELD, owner, DRIVER, driverDescriptor);
    constructor.visitInsn(Opcodes.RETURN);
    finish(constructor);
  }

  private static void driverType(ClassWriter cw, String driver, int line) {
    MethodVisitor method =
        cw.visitMethod(
            Opcodes.ACC_PUBLIC,
            "driverType",
            "()Ljava/lang/Class;",
            "()Ljava/lang/Class<L" + driver + ";>;",
            null);
    startCode(method, line);
    method.visitLdcInsn(Type.getObjectType(driver));
    method.visitInsn(Opcodes.ARETURN);
    finish(method);
  }

  private static MethodVisitor interruptConfigsStart(ClassWriter cw, String driver, int line) {
    MethodVisitor method =
        cw.visitMethod(
            Opcodes.ACC_PUBLIC,
            "interruptConfigs",
            "(L" + driver + ";)Ljava/util/List;",
            "(L" + driver + ";)Ljava/util/List<" + CONFIG_DESCRIPTOR + ">;",
            null);
    startCode(method, line);
    return method;
  }

  /** Returns the list, then adds the bridge that {@code DriverWiring}'s erasure needs. */
  private static void interruptConfigsEnd(
      ClassWriter cw, MethodVisitor method, String driver, String wiring, int line) {
    method.visitInsn(Opcodes.ARETURN);
    finish(method);
    MethodVisitor bridge =
        cw.visitMethod(
            Opcodes.ACC_PUBLIC | Opcodes.ACC_BRIDGE | Opcodes.ACC_SYNTHETIC,
            "interruptConfigs",
            "(Ljava/lang/Object;)Ljava/util/List;",
            null,
            null);
    startCode(bridge, line);
    bridge.visitVarInsn(Opcodes.ALOAD, 0);
    bridge.visitVarInsn(Opcodes.ALOAD, 1);
    bridge.visitTypeInsn(Opcodes.CHECKCAST, driver);
    bridge.visitMethodInsn(
        Opcodes.INVOKEVIRTUAL,
        wiring,
        "interruptConfigs",
        "(L" + driver + ";)Ljava/util/List;",
        false);
    bridge.visitInsn(Opcodes.ARETURN);
    finish(bridge);
  }

  /** Leaves {@code Objects.requireNonNull(driver, message)} on the stack. */
  private static void requireNonNull(MethodVisitor method, DriverModel model) {
    method.visitVarInsn(Opcodes.ALOAD, 1);
    method.visitLdcInsn(WiringLayout.nullDriverMessage(model));
    method.visitMethodInsn(
        Opcodes.INVOKESTATIC,
        "java/util/Objects",
        "requireNonNull",
        "(Ljava/lang/Object;Ljava/lang/String;)Ljava/lang/Object;",
        false);
  }

  /**
   * Leaves the interrupt's {@code InterruptConfig} on the stack, built from the callbacks object in
   * {@code callbacksLocal} with the same setters, in the same order, as the source form.
   */
  private static void config(MethodVisitor method, InterruptModel interrupt, int callbacksLocal) {
    method.visitLdcInsn(interrupt.name());
    method.visitVarInsn(Opcodes.ALOAD, callbacksLocal);
    method.visitMethodInsn(
        Opcodes.INVOKESTATIC,
        INTERRUPT_CONFIG,
        "builder",
        "(Ljava/lang/String;L" + INTERRUPT_CONFIG + "$Isr;)" + BUILDER_DESCRIPTOR,
        false);
    for (CallbackMethod callback : WiringLayout.inRoleOrder(interrupt)) {
      CallbackInterface target = callbackInterface(callback.role());
      if (target.builderSetter() != null) {
        method.visitVarInsn(Opcodes.ALOAD, callbacksLocal);
        builderCall(method, target.builderSetter(), "L" + target.internalName() + ";");
      }
    }
    if (interrupt.shareVector() != ShareVector.USE_DEFAULT) {
      enumConstant(method, "ShareVector", interrupt.shareVector().name());
      builderCall(method, "shareVector", "L" + ANNOTATION + "ShareVector;");
    }
    if (interrupt.automaticSerialization()) {
      method.visitInsn(Opcodes.ICONST_1);
      builderCall(method, "automaticSerialization", "Z");
    }
    if (!interrupt.lockGroup().isEmpty()) {
      method.visitLdcInsn(interrupt.lockGroup());
      builderCall(method, "lockGroup", "Ljava/lang/String;");
    }
    if (interrupt.policy().isPresent()) {
      extendedPolicy(method, interrupt.policy().get());
      builderCall(method, "policy", "L" + EXTENDED_POLICY + ";");
    }
    method.visitMethodInsn(
        Opcodes.INVOKEVIRTUAL, BUILDER, "build", "()" + CONFIG_DESCRIPTOR, false);
  }

  private static void builderCall(MethodVisitor method, String name, String parameter) {
    method.visitMethodInsn(
        Opcodes.INVOKEVIRTUAL, BUILDER, name, "(" + parameter + ")" + BUILDER_DESCRIPTOR, false);
  }

  private static void enumConstant(MethodVisitor method, String enumSimpleName, String constant) {
    String owner = ANNOTATION + enumSimpleName;
    method.visitFieldInsn(Opcodes.GETSTATIC, owner, constant, "L" + owner + ";");
  }

  /** Leaves {@code new ExtendedPolicy(policy, priority, mask, group)} on the stack. */
  private static void extendedPolicy(MethodVisitor method, PolicyModel policy) {
    method.visitTypeInsn(Opcodes.NEW, EXTENDED_POLICY);
    method.visitInsn(Opcodes.DUP);
    enumConstant(method, "AffinityPolicy", policy.policy().name());
    enumConstant(method, "InterruptPriority", policy.priority().name());
    long mask = policy.processorMask();
    if (mask == 0L) {
      method.visitInsn(Opcodes.LCONST_0);
    } else if (mask == 1L) {
      method.visitInsn(Opcodes.LCONST_1);
    } else {
      method.visitLdcInsn(mask);
    }
    pushInt(method, policy.group());
    method.visitMethodInsn(
        Opcodes.INVOKESPECIAL,
        EXTENDED_POLICY,
        "<init>",
        "(L" + ANNOTATION + "AffinityPolicy;L" + ANNOTATION + "InterruptPriority;JI)V",
        false);
  }

  /** Turns the {@code count} configs on the stack (or one array of them) into a {@code List}. */
  private static void listOf(MethodVisitor method, int count) {
    String parameters =
        count > LIST_OF_FIXED_ARITY ? "[Ljava/lang/Object;" : "Ljava/lang/Object;".repeat(count);
    method.visitMethodInsn(
        Opcodes.INVOKESTATIC, "java/util/List", "of", "(" + parameters + ")Ljava/util/List;", true);
  }

  /** One interface method that passes on just the arguments the driver's method declares. */
  private static void adapter(
      ClassWriter cw,
      CallbackMethod callback,
      String driver,
      boolean driverIsInterface,
      String owner,
      int line) {
    CallbackInterface target = callbackInterface(callback.role());
    MethodVisitor method =
        cw.visitMethod(
            Opcodes.ACC_PUBLIC,
            target.methodName(),
            target.descriptor(),
            null,
            target.throwsException() ? new String[] {"java/lang/Exception"} : null);
    startCode(method, line);
    method.visitVarInsn(Opcodes.ALOAD, 0);
    method.visitFieldInsn(Opcodes.GETFIELD, owner, DRIVER, "L" + driver + ";");
    StringBuilder descriptor = new StringBuilder("(");
    // The interface method's parameters: 1 = the interrupt, 2 = the message id or the device.
    for (SignatureShape.Parameter parameter : callback.shape().orElseThrow().parameters()) {
      if (parameter.kind() == ParameterKind.INTERRUPT) {
        method.visitVarInsn(Opcodes.ALOAD, 1);
        descriptor.append(INTERRUPT_DESCRIPTOR);
      } else if (parameter.kind() == ParameterKind.MESSAGE_ID) {
        method.visitVarInsn(Opcodes.ILOAD, 2);
        descriptor.append('I');
      } else {
        method.visitVarInsn(Opcodes.ALOAD, 2);
        descriptor.append(DEVICE_DESCRIPTOR);
      }
    }
    boolean isr = callback.role() == CallbackRole.ISR;
    descriptor.append(isr ? ")Z" : ")V");
    method.visitMethodInsn(
        driverIsInterface ? Opcodes.INVOKEINTERFACE : Opcodes.INVOKEVIRTUAL,
        driver,
        callback.methodName(),
        descriptor.toString(),
        driverIsInterface);
    method.visitInsn(isr ? Opcodes.IRETURN : Opcodes.RETURN);
    finish(method);
  }

  private static void pushInt(MethodVisitor method, int value) {
    if (value >= -1 && value <= 5) {
      method.visitInsn(Opcodes.ICONST_0 + value);
    } else if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
      method.visitIntInsn(Opcodes.BIPUSH, value);
    } else if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
      method.visitIntInsn(Opcodes.SIPUSH, value);
    } else {
      method.visitLdcInsn(value);
    }
  }

  /**
   * Starts a method's code with a LineNumberTable entry that covers all of it; none for an unknown
   * line (0). The entry's label only marks an offset: it adds no branch and no frame.
   */
  private static void startCode(MethodVisitor method, int line) {
    method.visitCode();
    if (line > 0) {
      Label start = new Label();
      method.visitLabel(start);
      method.visitLineNumber(line, start);
    }
  }

  /** Lets ASM compute the stack and locals sizes (the code has no branches). */
  private static void finish(MethodVisitor method) {
    method.visitMaxs(0, 0);
    method.visitEnd();
  }
}
