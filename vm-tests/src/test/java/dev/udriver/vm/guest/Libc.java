package dev.udriver.vm.guest;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/** The few libc calls the guest programs need, through the FFM API, with errno captured. */
final class Libc {
    private Libc() {}

    static final int O_RDWR = 0x2;
    static final int O_SYNC = 0x101000;
    static final int O_CLOEXEC = 0x80000;
    static final int PROT_READ = 0x1;
    static final int PROT_WRITE = 0x2;
    static final int MAP_SHARED = 0x1;
    static final short POLLIN = 0x1;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");

    private static final MethodHandle OPEN = handle("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), CAPTURE, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE);
    private static final MethodHandle READ = handle("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE);
    private static final MethodHandle WRITE = handle("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE);
    private static final MethodHandle PREAD = handle("pread",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), CAPTURE);
    private static final MethodHandle PWRITE = handle("pwrite",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), CAPTURE);
    private static final MethodHandle MMAP = handle("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), CAPTURE);
    private static final MethodHandle POLL = handle("poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), CAPTURE);
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("strerror"), FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private static MethodHandle handle(String name, FunctionDescriptor fd, Linker.Option... options) {
        return LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(name), fd, options);
    }

    /** Per-thread scratch: the errno capture segment and small buffers. */
    private static final ThreadLocal<MemorySegment> STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CALL_STATE));
    private static final ThreadLocal<MemorySegment> SCRATCH =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(64, 8));

    private static IOException error(String what) {
        int errno = (int) ERRNO.get(STATE.get(), 0L);
        String text;
        try {
            text = ((MemorySegment) STRERROR.invokeExact(errno)).reinterpret(256).getString(0);
        } catch (Throwable t) {
            text = "?";
        }
        return new IOException(what + ": errno " + errno + " (" + text + ")");
    }

    static int errno() {
        return (int) ERRNO.get(STATE.get(), 0L);
    }

    static int open(String path, int flags) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) OPEN.invokeExact(STATE.get(), arena.allocateFrom(path), flags, 0);
            if (fd < 0) {
                throw error("open " + path);
            }
            return fd;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(STATE.get(), fd);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static MemorySegment mmap(int fd, long size, long offset) throws IOException {
        try {
            MemorySegment p = (MemorySegment) MMAP.invokeExact(STATE.get(), MemorySegment.NULL, size,
                    PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
            if (p.address() == -1L) {
                throw error("mmap fd " + fd);
            }
            return p.reinterpret(size);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Blocking 4-byte read (a UIO event count); returns the value, or throws. */
    static int readInt(int fd) throws IOException {
        MemorySegment buf = SCRATCH.get();
        try {
            long n = (long) READ.invokeExact(STATE.get(), fd, buf, 4L);
            if (n != 4) {
                throw error("read fd " + fd + " returned " + n);
            }
            return buf.get(JAVA_INT, 0);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** 4-byte write; returns the result of write(2) (-1 with {@link #errno()} on failure). */
    static long writeInt(int fd, int value) {
        MemorySegment buf = SCRATCH.get();
        buf.set(JAVA_INT, 0, value);
        try {
            return (long) WRITE.invokeExact(STATE.get(), fd, buf, 4L);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int preadByte(int fd, long offset) throws IOException {
        MemorySegment buf = SCRATCH.get();
        try {
            long n = (long) PREAD.invokeExact(STATE.get(), fd, buf, 1L, offset);
            if (n != 1) {
                throw error("pread fd " + fd);
            }
            return buf.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0) & 0xff;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static void pwriteByte(int fd, long offset, int value) throws IOException {
        MemorySegment buf = SCRATCH.get();
        buf.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) value);
        try {
            long n = (long) PWRITE.invokeExact(STATE.get(), fd, buf, 1L, offset);
            if (n != 1) {
                throw error("pwrite fd " + fd);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** poll(2) for POLLIN on one descriptor; true when readable within the timeout. */
    static boolean pollIn(int fd, int timeoutMillis) throws IOException {
        MemorySegment pfd = SCRATCH.get();
        pfd.set(JAVA_INT, 8, fd);
        pfd.set(JAVA_SHORT, 12, POLLIN);
        pfd.set(JAVA_SHORT, 14, (short) 0);
        try {
            int n = (int) POLL.invokeExact(STATE.get(), pfd.asSlice(8, 8), 1L, timeoutMillis);
            if (n < 0) {
                throw error("poll fd " + fd);
            }
            return n > 0;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
