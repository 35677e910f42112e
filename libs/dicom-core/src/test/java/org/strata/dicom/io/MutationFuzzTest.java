package org.strata.dicom.io;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.strata.dicom.Attributes;
import org.strata.dicom.DicomParseException;
import org.strata.dicom.Fragments;
import org.strata.dicom.Sequence;

/**
 * Seeded mutation fuzzing of real samples: bit flips, truncations, corrupted length fields and
 * spliced chunks. The only exception a parse may end in is {@link DicomParseException}; a parse
 * that succeeds must leave a data set whose typed getters do not throw either.
 *
 * <p>Bounded by an iteration count, not by time: the parser consumes input on every loop, so each
 * parse ends, and the run takes about the same time on every machine of one kind. Set
 * -Dstrata.fuzz.iterations to run longer, -Dstrata.fuzz.seed to reproduce a failure.
 */
class MutationFuzzTest {

  private static final int LIMIT = 16 << 20;
  private static final long[] INTERESTING = {
    0, 1, 2, 7, 0xFF, 0xFFFF, 0x7FFFFFFF, 0x80000000L, 0xFFFFFFF0L, 0xFFFFFFFEL, 0xFFFFFFFFL
  };

  private record Sample(String name, byte[] data, long[] lengthFieldOffsets) {}

  @Test
  void mutatedSamplesFailOnlyWithDicomParseException() throws IOException {
    assumeTrue(SampleFiles.present(), "pydicom samples missing: apt-get install python3-pydicom");
    long seed = Long.getLong("strata.fuzz.seed", 20240611L);
    int iterations = Integer.getInteger("strata.fuzz.iterations", 350_000);
    List<Sample> samples = samples();
    assertTrue(samples.size() > 20, "too few samples: " + samples.size());
    SplittableRandom random = new SplittableRandom(seed);
    List<String> failures = new ArrayList<>();
    int rejected = 0;
    for (int i = 0; i < iterations && failures.size() < 10; i++) {
      Sample sample = samples.get(random.nextInt(samples.size()));
      int kind = random.nextInt(4);
      byte[] mutated = mutate(sample, kind, random);
      boolean knownLength = random.nextBoolean();
      try {
        Attributes ds = parse(mutated, knownLength);
        exercise(ds, 0);
      } catch (DicomParseException expected) {
        rejected++;
      } catch (Throwable t) {
        failures.add(
            "seed "
                + seed
                + " iteration "
                + i
                + " "
                + sample.name()
                + " mutation "
                + kind
                + ": "
                + t);
      }
    }
    System.out.printf(
        "fuzz: %d iterations on %d samples, %d rejected with DicomParseException%n",
        iterations, samples.size(), rejected);
    assertTrue(failures.isEmpty(), String.join("\n", failures));
    // The mutations must actually produce bad input, or the test proves nothing.
    assertTrue(rejected > iterations / 10, "only " + rejected + " of " + iterations + " rejected");
  }

  private static Attributes parse(byte[] data, boolean knownLength) throws IOException {
    ReadOptions options = ReadOptions.DEFAULTS.withMaxValueLength(LIMIT);
    try (DicomInputStream in =
        knownLength
            ? DicomInputStream.of(data, options)
            : new DicomInputStream(new ByteArrayInputStream(data), options)) {
      in.readFileMetaInformation();
      return in.readDataset();
    }
  }

  /** Calls every getter on every element: garbage values must give defaults, not exceptions. */
  private static void exercise(Attributes ds, int depth) {
    ds.specificCharacterSet();
    for (int i = 0; i < ds.size(); i++) {
      int tag = ds.tagAt(i);
      Object v = ds.valueAt(i);
      if (v instanceof Sequence s) {
        for (Attributes item : s) {
          exercise(item, depth + 1);
        }
      } else if (!(v instanceof Fragments)) {
        ds.getStrings(tag);
        ds.getDoubles(tag);
        ds.getInts(tag);
        ds.getDate(tag);
        ds.getTime(tag);
        ds.getPersonName(tag);
      }
    }
  }

  private static byte[] mutate(Sample s, int kind, SplittableRandom random) {
    byte[] d = s.data().clone();
    switch (kind) {
      case 0 -> { // bit flips, mostly in the first KiB where the headers are dense
        int flips = 1 + random.nextInt(8);
        for (int k = 0; k < flips; k++) {
          int range = random.nextBoolean() ? Math.min(d.length, 1024) : d.length;
          int at = random.nextInt(range);
          d[at] ^= (byte) (1 << random.nextInt(8));
        }
        return d;
      }
      case 1 -> { // truncation
        return java.util.Arrays.copyOf(d, random.nextInt(d.length));
      }
      case 2 -> { // a length field set to a boundary value or random bits
        if (s.lengthFieldOffsets().length == 0) {
          return d;
        }
        int at = (int) s.lengthFieldOffsets()[random.nextInt(s.lengthFieldOffsets().length)];
        long value =
            random.nextBoolean()
                ? INTERESTING[random.nextInt(INTERESTING.length)]
                : random.nextLong(1L << 32);
        boolean wide = random.nextBoolean() && at + 4 <= d.length;
        d[at] = (byte) value;
        d[at + 1] = (byte) (value >>> 8);
        if (wide) {
          d[at + 2] = (byte) (value >>> 16);
          d[at + 3] = (byte) (value >>> 24);
        }
        return d;
      }
      default -> { // a chunk copied over another place
        int len = 1 + random.nextInt(Math.min(64, d.length));
        int from = random.nextInt(d.length - len + 1);
        int to = random.nextInt(d.length - len + 1);
        System.arraycopy(s.data(), from, d, to, len);
        return d;
      }
    }
  }

  /** Samples up to 256 KiB that parse, with where their length fields are. */
  private static List<Sample> samples() throws IOException {
    List<Sample> out = new ArrayList<>();
    for (Path p : SampleFiles.all()) {
      if (Files.size(p) > 256 * 1024 || Files.size(p) < 16) {
        continue;
      }
      byte[] data = Files.readAllBytes(p);
      List<Long> fields = new ArrayList<>();
      try (DicomInputStream in = DicomInputStream.of(data, ReadOptions.DEFAULTS)) {
        Attributes fmi = in.readFileMetaInformation();
        boolean deflated = in.transferSyntax().deflated();
        Attributes ds = in.readDataset();
        if (fmi != null) {
          collect(fmi, fields);
        }
        if (!deflated) {
          collect(ds, fields);
        }
      } catch (DicomParseException e) {
        continue;
      }
      out.add(
          new Sample(
              SampleFiles.name(p), data, fields.stream().mapToLong(Long::longValue).toArray()));
    }
    return out;
  }

  /** A value at offset v has its 16-bit or 32-bit length field just before it. */
  private static void collect(Attributes a, List<Long> fields) {
    for (int i = 0; i < a.size(); i++) {
      long v = a.valueOffsetAt(i);
      boolean wide = a.vrAt(i).explicitHeaderLength() == 12;
      if (v >= 4) {
        fields.add(v - (wide ? 4 : 2));
      }
      if (a.valueAt(i) instanceof Sequence s) {
        for (Attributes item : s) {
          collect(item, fields);
        }
      } else if (a.valueAt(i) instanceof Fragments f) {
        for (int k = 0; k < f.size(); k++) {
          fields.add(f.offset(k) - 4);
        }
      }
    }
  }
}
