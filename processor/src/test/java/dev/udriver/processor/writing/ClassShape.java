package dev.udriver.processor.writing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * What a class file declares and does, as text that two compilers of the same class agree on:
 * access flags, names, signatures, supertypes, nest and inner-class entries, fields, and each
 * method's instructions with their operands. Left out: the class file version and what only
 * debuggers read (source file, line numbers, local variable names), and stack sizes and frames,
 * which follow from the instructions.
 */
final class ClassShape {

  private ClassShape() {}

  static String of(byte[] classFile) {
    Recorder recorder = new Recorder();
    new ClassReader(classFile).accept(recorder, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return recorder.text();
  }

  private static final class Recorder extends ClassVisitor {
    private final StringBuilder header = new StringBuilder();
    private final TreeSet<String> nestAndInner = new TreeSet<>();
    private final TreeSet<String> fields = new TreeSet<>();
    /** Methods by name and descriptor: javac's member order is not part of the contract. */
    private final TreeMap<String, List<String>> methods = new TreeMap<>();

    Recorder() {
      super(Opcodes.ASM9);
    }

    @Override
    public void visit(
        int version,
        int access,
        String name,
        String signature,
        String superName,
        String[] interfaces) {
      header.append(String.format("class %s access=0x%x signature=%s extends %s implements %s%n",
          name, access, signature, superName, Arrays.toString(interfaces)));
    }

    @Override
    public void visitNestHost(String nestHost) {
      nestAndInner.add("nest host " + nestHost);
    }

    @Override
    public void visitNestMember(String nestMember) {
      nestAndInner.add("nest member " + nestMember);
    }

    @Override
    public void visitInnerClass(String name, String outerName, String innerName, int access) {
      nestAndInner.add(
          String.format("inner class %s in %s as %s access=0x%x", name, outerName, innerName,
              access));
    }

    @Override
    public FieldVisitor visitField(
        int access, String name, String descriptor, String signature, Object value) {
      fields.add(String.format("field %s %s access=0x%x signature=%s value=%s", name, descriptor,
          access, signature, value));
      return null;
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String descriptor, String signature, String[] exceptions) {
      List<String> lines = new ArrayList<>();
      lines.add(String.format("method %s%s access=0x%x signature=%s throws %s", name, descriptor,
          access, signature, Arrays.toString(exceptions)));
      methods.put(name + descriptor, lines);
      return new MethodVisitor(Opcodes.ASM9) {
        @Override
        public void visitInsn(int opcode) {
          lines.add("  " + opcode);
        }

        @Override
        public void visitIntInsn(int opcode, int operand) {
          lines.add("  " + opcode + " " + operand);
        }

        @Override
        public void visitVarInsn(int opcode, int varIndex) {
          lines.add("  " + opcode + " var " + varIndex);
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
          lines.add("  " + opcode + " " + type);
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String fieldName, String desc) {
          lines.add("  " + opcode + " " + owner + "." + fieldName + " " + desc);
        }

        @Override
        public void visitMethodInsn(
            int opcode, String owner, String methodName, String desc, boolean isInterface) {
          lines.add(
              "  " + opcode + " " + owner + "." + methodName + desc + " interface=" + isInterface);
        }

        @Override
        public void visitInvokeDynamicInsn(
            String indyName, String desc, Handle bootstrap, Object... arguments) {
          lines.add("  invokedynamic " + indyName + desc);
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
          lines.add("  jump " + opcode);
        }

        @Override
        public void visitLdcInsn(Object value) {
          lines.add("  ldc " + value.getClass().getSimpleName() + " " + value);
        }
      };
    }

    String text() {
      StringBuilder text = new StringBuilder(header);
      nestAndInner.forEach(line -> text.append(line).append('\n'));
      fields.forEach(line -> text.append(line).append('\n'));
      methods.values().forEach(lines -> lines.forEach(line -> text.append(line).append('\n')));
      return text.toString();
    }
  }
}
