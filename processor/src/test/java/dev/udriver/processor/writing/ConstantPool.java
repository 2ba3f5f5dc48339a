package dev.udriver.processor.writing;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The constant pool of a class file (JVMS §4.4), reduced to what the no-reflection test needs: the
 * tags of all entries and the UTF-8 strings. A class that uses a lambda, a method reference or
 * string concatenation has InvokeDynamic, MethodHandle or MethodType entries; one that uses
 * reflection or method handles names {@code java/lang/reflect} or {@code java/lang/invoke}.
 */
final class ConstantPool {

  static final int METHOD_HANDLE = 15;
  static final int METHOD_TYPE = 16;
  static final int DYNAMIC = 17;
  static final int INVOKE_DYNAMIC = 18;

  private final List<Integer> tags = new ArrayList<>();
  private final List<String> utf8 = new ArrayList<>();

  ConstantPool(byte[] classFile) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile))) {
      if (in.readInt() != 0xCAFEBABE) {
        throw new IllegalArgumentException("not a class file");
      }
      in.readUnsignedShort(); // minor version
      in.readUnsignedShort(); // major version
      int count = in.readUnsignedShort();
      for (int index = 1; index < count; index++) {
        int tag = in.readUnsignedByte();
        tags.add(tag);
        switch (tag) {
          case 1 -> utf8.add(in.readUTF());
          case 7, 8, 16, 19, 20 -> in.skipBytes(2);
          case 15 -> in.skipBytes(3);
          case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
          case 5, 6 -> {
            in.skipBytes(8);
            index++; // long and double take two slots
          }
          default -> throw new IllegalArgumentException("unknown constant pool tag " + tag);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<Integer> tags() {
    return tags;
  }

  List<String> utf8() {
    return utf8;
  }
}
