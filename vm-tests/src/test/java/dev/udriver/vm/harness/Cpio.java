package dev.udriver.vm.harness;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Writes an uncompressed initramfs: the cpio "newc" format that the kernel unpacks into its
 * root file system. Parent directories are added on demand; everything is owned by root.
 */
final class Cpio implements AutoCloseable {
    private static final int DIR = 0040000;
    private static final int FILE = 0100000;
    private static final int SYMLINK = 0120000;
    private static final int CHAR_DEVICE = 0020000;

    private final OutputStream out;
    private final Set<String> dirs = new HashSet<>();
    private long written;
    private int inode = 1;

    Cpio(Path file) throws IOException {
        this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    }

    void directory(String path) throws IOException {
        String p = strip(path);
        if (p.isEmpty() || dirs.contains(p)) {
            return;
        }
        parents(p);
        dirs.add(p);
        entry(p, DIR | 0755, 2, 0, 0, new byte[0]);
    }

    void file(String path, byte[] content, int permissions) throws IOException {
        String p = strip(path);
        parents(p);
        entry(p, FILE | permissions, 1, 0, 0, content);
    }

    void file(String path, Path source, int permissions) throws IOException {
        file(path, Files.readAllBytes(source), permissions);
    }

    void symlink(String path, String target) throws IOException {
        String p = strip(path);
        parents(p);
        entry(p, SYMLINK | 0777, 1, 0, 0, target.getBytes(StandardCharsets.UTF_8));
    }

    void charDevice(String path, int major, int minor, int permissions) throws IOException {
        String p = strip(path);
        parents(p);
        entry(p, CHAR_DEVICE | permissions, 1, major, minor, new byte[0]);
    }

    private static String strip(String path) {
        String p = path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        return p;
    }

    private void parents(String p) throws IOException {
        int slash = p.lastIndexOf('/');
        if (slash > 0) {
            directory(p.substring(0, slash));
        }
    }

    private void entry(String name, int mode, int links, int rdevMajor, int rdevMinor, byte[] data)
            throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder("070701");
        for (long field : new long[] {inode++, mode, 0, 0, links, 0, data.length, 0, 0, rdevMajor, rdevMinor,
                nameBytes.length + 1, 0}) {
            h.append(String.format("%08x", field));
        }
        write(h.toString().getBytes(StandardCharsets.US_ASCII));
        write(nameBytes);
        write(new byte[] {0});
        pad();
        write(data);
        pad();
    }

    private void write(byte[] b) throws IOException {
        out.write(b);
        written += b.length;
    }

    private void pad() throws IOException {
        while (written % 4 != 0) {
            out.write(0);
            written++;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            entry("TRAILER!!!", 0, 1, 0, 0, new byte[0]);
        } finally {
            out.close();
        }
    }
}
