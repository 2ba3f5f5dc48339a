package dev.udriver.runtime.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.runtime.linux.internal.Libc;
import dev.udriver.runtime.linux.internal.NativeCallException;
import org.junit.jupiter.api.Test;

/** errno to {@link LinuxInterfaceException.Missing}: no device or root needed. */
class LinuxInterfaceExceptionTest {

  @Test
  void eaccesIsAPermissionProblemNamingTheNodeAndTheRemedy() {
    NativeCallException denied = new NativeCallException("open(/dev/uio0)", Libc.EACCES);
    LinuxInterfaceException e =
        LinuxInterfaceException.of(denied, "/dev/uio0", "add the user to the group of the node");
    assertEquals(LinuxInterfaceException.Missing.PERMISSION, e.missing());
    assertTrue(e.getMessage().startsWith("PERMISSION: /dev/uio0: permission denied"), e.getMessage());
    assertTrue(e.getMessage().contains("EACCES"), e.getMessage());
    assertTrue(e.getMessage().endsWith("; add the user to the group of the node"), e.getMessage());
    assertSame(denied, e.getCause());
  }
}
