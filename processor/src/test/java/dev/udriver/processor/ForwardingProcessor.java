package dev.udriver.processor;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.function.UnaryOperator;
import javax.annotation.processing.Completion;
import javax.annotation.processing.Filer;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * Runs {@link UdriverProcessor} inside a {@link ProcessingEnvironment} that is not javac's own, as
 * Gradle, IDEs and ECJ present it, optionally altered to simulate failures.
 */
final class ForwardingProcessor implements Processor {

  private final Processor delegate = new UdriverProcessor();
  private final UnaryOperator<ProcessingEnvironment> wrapper;
  private int rounds;

  private ForwardingProcessor(UnaryOperator<ProcessingEnvironment> wrapper) {
    this.wrapper = wrapper;
  }

  /** The processor in a plain forwarding environment. */
  static ForwardingProcessor inForeignEnvironment() {
    return new ForwardingProcessor(env -> forwarding(ProcessingEnvironment.class, env, null));
  }

  /** The processor in an environment whose {@code Elements} throw on {@code methodName}. */
  static ForwardingProcessor withFailingElements(String methodName, RuntimeException failure) {
    return new ForwardingProcessor(
        env ->
            forwarding(
                ProcessingEnvironment.class,
                env,
                (method, args) ->
                    method.getName().equals("getElementUtils")
                        ? forwarding(
                            Elements.class,
                            env.getElementUtils(),
                            (inner, innerArgs) -> {
                              if (inner.getName().equals(methodName)) {
                                throw failure;
                              }
                              return NOT_HANDLED;
                            })
                        : NOT_HANDLED));
  }

  /** The processor in javac's own environment, counting the rounds javac runs. */
  static ForwardingProcessor countingRounds() {
    return new ForwardingProcessor(UnaryOperator.identity());
  }

  /** The processor in an environment whose {@code Filer} throws on {@code methodName}. */
  static ForwardingProcessor withFailingFiler(String methodName, IOException failure) {
    return new ForwardingProcessor(
        env ->
            forwarding(
                ProcessingEnvironment.class,
                env,
                (method, args) ->
                    method.getName().equals("getFiler")
                        ? forwarding(
                            Filer.class,
                            env.getFiler(),
                            (inner, innerArgs) -> {
                              if (inner.getName().equals(methodName)) {
                                throw failure;
                              }
                              return NOT_HANDLED;
                            })
                        : NOT_HANDLED));
  }

  /** How many times javac called {@link #process}: one per round. */
  int rounds() {
    return rounds;
  }

  private static final Object NOT_HANDLED = new Object();

  /** Answers a call, or returns {@link #NOT_HANDLED} to forward it. */
  private interface CallAnswer {
    Object answer(Method method, Object[] args) throws Throwable;
  }

  private static <T> T forwarding(Class<T> type, T target, CallAnswer override) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (override != null) {
            Object answer = override.answer(method, args);
            if (answer != NOT_HANDLED) {
              return answer;
            }
          }
          try {
            return method.invoke(target, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return type.cast(
        Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }

  @Override
  public void init(ProcessingEnvironment env) {
    delegate.init(wrapper.apply(env));
  }

  @Override
  public Set<String> getSupportedOptions() {
    return delegate.getSupportedOptions();
  }

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return delegate.getSupportedAnnotationTypes();
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return delegate.getSupportedSourceVersion();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    rounds++;
    return delegate.process(annotations, round);
  }

  @Override
  public Iterable<? extends Completion> getCompletions(
      Element element, AnnotationMirror annotation, ExecutableElement member, String userText) {
    return delegate.getCompletions(element, annotation, member, userText);
  }
}
