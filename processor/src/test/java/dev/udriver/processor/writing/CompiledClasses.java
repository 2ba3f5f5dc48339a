package dev.udriver.processor.writing;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.tools.JavaFileObject;

/** The class files of a compilation, by binary name, loadable in a class loader of their own. */
final class CompiledClasses extends ClassLoader {

  private static final String CLASS_OUTPUT = "CLASS_OUTPUT/";

  private final Map<String, byte[]> classFiles = new LinkedHashMap<>();

  CompiledClasses(Compilation compilation) {
    super(CompiledClasses.class.getClassLoader());
    for (JavaFileObject file : compilation.generatedFiles()) {
      if (file.getKind() == JavaFileObject.Kind.CLASS) {
        String path = file.toUri().getPath();
        String binaryName =
            path.substring(path.indexOf(CLASS_OUTPUT) + CLASS_OUTPUT.length(), path.length() - 6)
                .replace('/', '.');
        classFiles.put(binaryName, read(file));
      }
    }
  }

  /** Binary name to class file bytes, in output order. */
  Map<String, byte[]> classFiles() {
    return classFiles;
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    byte[] bytes = classFiles.get(name);
    if (bytes == null) {
      throw new ClassNotFoundException(name);
    }
    return defineClass(name, bytes, 0, bytes.length);
  }

  private static byte[] read(JavaFileObject file) {
    try (InputStream in = file.openInputStream()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
