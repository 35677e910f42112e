package org.strata.bench.dicom;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.strata.dicom.Attributes;
import org.strata.dicom.Tag;
import org.strata.dicom.UID;
import org.strata.dicom.VR;
import org.strata.dicom.io.DicomInputStream;
import org.strata.dicom.io.DicomOutputStream;
import org.strata.dicom.io.ElementHeader;
import org.strata.dicom.io.ReadOptions;

/**
 * (b) A full streaming pass over the generated 1 GiB multi-frame object, in a JVM whose heap is
 * capped at 64 MB (the runner forks it with -Xmx64m; {@link #setup()} refuses to run otherwise):
 * read (header parse, then every pixel byte through a 64 KB buffer and CRC32C) and transcode
 * (explicit VR LE to explicit VR BE, pixel data byte-swapped per word, to a discarding stream).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
public class StreamingBenchmark {

  private Path path;

  @Setup
  public void setup() {
    long max = Runtime.getRuntime().maxMemory();
    if (max > 80L << 20) {
      throw new IllegalStateException("heap not capped: max " + (max >> 20) + " MB");
    }
    path = Path.of(System.getProperty("strata.bench.dicom.big"));
  }

  @Benchmark
  public long read() throws Exception {
    ReadOptions opts = ReadOptions.DEFAULTS.withStopBeforeTag(Tag.PixelData);
    try (DicomInputStream in = DicomInputStream.open(path, opts)) {
      in.readDataset();
      ElementHeader pixel = in.readHeader();
      CRC32C crc = new CRC32C();
      byte[] buf = new byte[64 * 1024];
      long total = 0;
      InputStream rest = in.remaining();
      for (int n; (n = rest.read(buf)) > 0; ) {
        crc.update(buf, 0, n);
        total += n;
      }
      if (total != pixel.length()) {
        throw new IllegalStateException("read " + total + " of " + pixel.length());
      }
      return crc.getValue();
    }
  }

  @Benchmark
  public long transcodeToBigEndian() throws Exception {
    ReadOptions opts = ReadOptions.DEFAULTS.withStopBeforeTag(Tag.PixelData);
    CountingSink sink = new CountingSink();
    try (DicomInputStream in = DicomInputStream.open(path, opts);
        DicomOutputStream out = new DicomOutputStream(sink, UID.ExplicitVRBigEndian)) {
      Attributes fmi = in.readFileMetaInformation();
      Attributes ds = in.readDataset();
      ElementHeader pixel = in.readHeader();
      out.writeFileMetaInformation(
          DicomOutputStream.fileMetaInformation(ds, fmi, UID.ExplicitVRBigEndian));
      out.writeDataset(ds);
      out.writeHeader(Tag.PixelData, VR.OW, pixel.length());
      out.copyValue(in.remaining(), pixel.length(), VR.OW, false);
    }
    return sink.count;
  }

  static final class CountingSink extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}
