package dev.udriver.vm.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Builds the guest's initramfs: a static busybox, the guest {@code /init}, the kernel modules with
 * their load lists, modules built for the guest (gpio-sim), the C reference programs (compiled here with {@code gcc -static}) and the host
 * glibc files that the shared JDK needs (the JDK itself stays on the host, shared over 9p).
 */
final class GuestImage {
    private static final Duration GCC_TIMEOUT = Duration.ofSeconds(60);

    private GuestImage() {}

    /** A static busybox: Debian's busybox-static, fetched once into the cache, or the host's own if static. */
    static Path busybox(Path cache, Path scratch) throws IOException, VmUnavailableException {
        Optional<DebianPackages.Candidate> c = Optional.empty();
        String problem = null;
        try {
            DebianPackages.requireTools();
            c = DebianPackages.candidate("busybox-static", scratch);
        } catch (VmUnavailableException e) {
            problem = e.getMessage();
        }
        if (c.isPresent()) {
            Path dir = cache.resolve(c.get().key());
            Path bin = dir.resolve("busybox");
            if (Files.isExecutable(bin)) {
                return bin;
            }
            Path work = Files.createTempDirectory(cache, ".fetch-");
            try {
                Path deb = DebianPackages.download(c.get(), work);
                DebianPackages.extract(deb, work.resolve("x"), Duration.ofSeconds(30), "./bin/busybox",
                        "./usr/bin/busybox");
                Path found = Files.exists(work.resolve("x/bin/busybox")) ? work.resolve("x/bin/busybox")
                        : work.resolve("x/usr/bin/busybox");
                if (isStatic(found)) {
                    Files.createDirectories(dir);
                    Path tmp = dir.resolve("busybox.tmp");
                    Files.copy(found, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    tmp.toFile().setExecutable(true);
                    Files.move(tmp, bin, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    return bin;
                }
                problem = "busybox-static's busybox is not a static executable";
            } catch (VmUnavailableException e) {
                problem = e.getMessage();
            } finally {
                GuestKernel.deleteTree(work);
            }
        } else if (problem == null) {
            problem = "apt-cache has no candidate for busybox-static";
        }
        for (String host : List.of("/bin/busybox", "/usr/bin/busybox")) {
            Path p = Path.of(host);
            if (Files.isExecutable(p) && isStatic(p)) {
                return p;
            }
        }
        throw new VmUnavailableException("no static busybox for the guest: " + problem);
    }

    /** An ELF executable without a program interpreter (PT_INTERP) is static. */
    static boolean isStatic(Path elf) throws IOException {
        byte[] b = Files.readAllBytes(elf);
        if (b.length < 64 || b[0] != 0x7f || b[1] != 'E' || b[4] != 2) {
            return false;
        }
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long phoff = buf.getLong(0x20);
        int phentsize = buf.getShort(0x36) & 0xffff;
        int phnum = buf.getShort(0x38) & 0xffff;
        for (int i = 0; i < phnum; i++) {
            if (buf.getInt((int) (phoff + (long) i * phentsize)) == 3) {
                return false;
            }
        }
        return true;
    }

    /** Compiles each C program in {@code sources} (one file each, sharing headers) into {@code into}. */
    static List<Path> compile(Path sources, List<String> programs, Path into) throws IOException, VmUnavailableException {
        Optional<Path> gcc = HostCommand.find("gcc");
        if (gcc.isEmpty()) {
            throw new VmUnavailableException("gcc not found: the C reference programs are compiled on the host"
                    + " (apt-get install gcc libc6-dev)");
        }
        Files.createDirectories(into);
        List<Path> out = new ArrayList<>();
        for (String p : programs) {
            Path bin = into.resolve(p);
            HostCommand.Result r = HostCommand.run(into, GCC_TIMEOUT, gcc.get().toString(), "-O2", "-Wall", "-Wextra",
                    "-Werror", "-static", "-o", bin.toString(), sources.resolve(p + ".c").toString());
            if (!r.ok()) {
                if (r.output().contains("cannot find -lc")) {
                    throw new VmUnavailableException("gcc cannot link statically (apt-get install libc6-dev): "
                            + r.describe());
                }
                throw new IOException("compiling " + p + ".c failed: " + r.describe());
            }
            out.add(bin);
        }
        return out;
    }

    /** The host's shared libraries (and program interpreter) that the JDK's launcher and core libraries load. */
    static Set<Path> jdkLibraries(Path jdk) throws IOException {
        List<String> command = new ArrayList<>(List.of("ldd"));
        command.add(jdk.resolve("bin/java").toString());
        for (String lib : List.of("server/libjvm.so", "libjli.so", "libjava.so", "libzip.so", "libnio.so", "libnet.so",
                "libjimage.so", "libsyslookup.so", "libverify.so")) {
            Path p = jdk.resolve("lib").resolve(lib);
            if (Files.exists(p)) {
                command.add(p.toString());
            }
        }
        HostCommand.Result r = HostCommand.run(jdk, Duration.ofSeconds(20), command);
        Set<Path> libs = new LinkedHashSet<>();
        for (String line : r.output().split("\n")) {
            String t = line.strip();
            int arrow = t.indexOf("=> /");
            String path = arrow >= 0 ? t.substring(arrow + 3) : t.startsWith("/") ? t : null;
            if (path == null) {
                continue;
            }
            int paren = path.indexOf(" (");
            Path lib = Path.of(paren >= 0 ? path.substring(0, paren) : path.strip());
            if (!lib.startsWith(jdk) && lib.isAbsolute() && !t.endsWith(":")) {
                libs.add(lib);
            }
        }
        return libs;
    }

    /** Writes the initramfs. */
    static void write(Path cpio, Path init, Path busybox, GuestKernel kernel, List<Path> extraModules,
                      List<Path> programs, Set<Path> libraries) throws IOException {
        try (Cpio c = new Cpio(cpio)) {
            for (String d : List.of("bin", "dev", "proc", "sys", "tmp", "out", "lib/modules")) {
                c.directory(d);
            }
            c.charDevice("dev/console", 5, 1, 0600);
            c.charDevice("dev/null", 1, 3, 0666);
            c.file("init", init, 0755);
            c.file("bin/busybox", busybox, 0755);
            c.symlink("bin/sh", "busybox");
            for (Path p : programs) {
                c.file("bin/" + p.getFileName(), p, 0755);
            }
            try (Stream<Path> modules = Files.list(kernel.modules())) {
                for (Path m : modules.sorted().toList()) {
                    c.file("lib/modules/" + m.getFileName(), m, 0644);
                }
            }
            for (Path m : extraModules) {
                c.file("lib/modules/" + m.getFileName(), m, 0644);
            }
            for (Path lib : libraries) {
                c.file(lib.toString(), lib, 0755);
            }
        }
    }
}
