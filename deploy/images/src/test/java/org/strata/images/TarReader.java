package org.strata.images;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;

/** Just enough of the ustar/pax format to read an image tarball and its layers. */
final class TarReader {

  private TarReader() {}

  /** The content of {@code name} in the tar file. */
  static byte[] entry(Path tar, String name) throws IOException {
    byte[][] found = new byte[1][];
    try (InputStream in = new BufferedInputStream(Files.newInputStream(tar))) {
      walk(
          in,
          (entryName, mode, content) -> {
            if (entryName.equals(name)) {
              found[0] = content.get();
            }
          });
    }
    if (found[0] == null) {
      throw new IOException(name + " not in " + tar);
    }
    return found[0];
  }

  /** Every regular file's name (no leading "./" or "/") and permission bits. */
  static void forEach(InputStream tar, BiConsumer<String, Integer> action) throws IOException {
    walk(
        tar,
        (name, mode, content) -> {
          if (!name.endsWith("/")) {
            action.accept(name, mode);
          }
        });
  }

  interface Content {
    byte[] get() throws IOException;
  }

  interface EntryVisitor {
    void visit(String name, int mode, Content content) throws IOException;
  }

  private static void walk(InputStream in, EntryVisitor visitor) throws IOException {
    String paxPath = null;
    while (true) {
      byte[] header = in.readNBytes(512);
      if (header.length < 512 || header[0] == 0) {
        return;
      }
      String name = field(header, 0, 100);
      String prefix = field(header, 345, 155);
      if (!prefix.isEmpty()) {
        name = prefix + "/" + name;
      }
      int mode = (int) octal(header, 100, 8);
      long size = octal(header, 124, 12);
      char type = (char) header[156];
      long padded = (size + 511) / 512 * 512;
      if (type == 'x') {
        String pax = new String(in.readNBytes((int) size), StandardCharsets.UTF_8);
        in.skipNBytes(padded - size);
        paxPath = paxValue(pax, "path");
        continue;
      }
      if (paxPath != null) {
        name = paxPath;
        paxPath = null;
      }
      if (name.startsWith("./")) {
        name = name.substring(2);
      }
      if (name.startsWith("/")) {
        name = name.substring(1);
      }
      if (type == '5' && !name.endsWith("/")) {
        name = name + "/";
      }
      boolean[] read = {false};
      final long entrySize = size;
      visitor.visit(
          name,
          mode,
          () -> {
            read[0] = true;
            return in.readNBytes((int) entrySize);
          });
      in.skipNBytes(read[0] ? padded - size : padded);
    }
  }

  private static String paxValue(String pax, String key) {
    for (String record : pax.split("\n")) {
      int space = record.indexOf(' ');
      int eq = record.indexOf('=');
      if (space > 0 && eq > space && record.substring(space + 1, eq).equals(key)) {
        return record.substring(eq + 1);
      }
    }
    return null;
  }

  private static String field(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] header, int offset, int length) {
    String s = field(header, offset, length).trim();
    return s.isEmpty() ? 0 : Long.parseLong(s, 8);
  }
}
