package dev.udriver.processor.writing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.tools.JavaFileObject;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** What a class file tells a debugger, and whether ASM had to compute anything from branches. */
public final class DebugAttributes extends ClassVisitor {
  /** The SourceFile attribute; null without one. */
  public String sourceFile;
  public int frames;
  public int jumps;
  /** Every line number entry, by method name, in class-file order (overloads under one name). */
  public final Map<String, List<Integer>> methodLines = new TreeMap<>();
  /** How many methods have each name (a bridge and its target, two constructors). */
  public final Map<String, Integer> methodsNamed = new TreeMap<>();
  /** "SourceFile X" and "method line N" for every entry, in class-file order. */
  public final List<String> entries = new ArrayList<>();

  private DebugAttributes() {
    super(Opcodes.ASM9);
  }

  public static DebugAttributes of(byte[] classFile) {
    DebugAttributes attributes = new DebugAttributes();
    new ClassReader(classFile).accept(attributes, 0);
    return attributes;
  }

  public static DebugAttributes of(JavaFileObject classFile) {
    try (InputStream in = classFile.openInputStream()) {
      return of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void visitSource(String source, String debug) {
    sourceFile = source;
    entries.add("SourceFile " + source);
  }

  @Override
  public MethodVisitor visitMethod(
      int access, String name, String descriptor, String signature, String[] exceptions) {
    List<Integer> lines = methodLines.computeIfAbsent(name, key -> new ArrayList<>());
    methodsNamed.merge(name, 1, Integer::sum);
    return new MethodVisitor(Opcodes.ASM9) {
      @Override
      public void visitLineNumber(int line, Label start) {
        lines.add(line);
        entries.add(name + " line " + line);
      }

      @Override
      public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
        frames++;
      }

      @Override
      public void visitJumpInsn(int opcode, Label label) {
        jumps++;
      }
    };
  }
}
