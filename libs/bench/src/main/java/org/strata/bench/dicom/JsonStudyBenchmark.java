package org.strata.bench.dicom;

import java.io.Writer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.strata.dicom.Attributes;
import org.strata.dicom.Tag;
import org.strata.dicom.VR;
import org.strata.dicom.io.DicomInputStream;
import org.strata.dicom.io.ReadOptions;
import org.strata.dicom.json.DicomJsonWriter;

/**
 * (c) DICOM JSON of a 500-instance study's metadata (WADO-RS /metadata): 500 CT headers made from
 * pydicom's CT_small.dcm (header only) with their own SOP Instance UID, Instance Number and Image
 * Position, written as one JSON array to a counting writer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class JsonStudyBenchmark {

  static final int INSTANCES = 500;
  private final List<Attributes> study = new ArrayList<>();

  @Setup
  public void setup() throws Exception {
    study.addAll(synthesize());
  }

  static List<Attributes> synthesize() throws Exception {
    byte[] file = Files.readAllBytes(DicomBench.SAMPLES.resolve("CT_small.dcm"));
    List<Attributes> out = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) {
      Attributes ds;
      try (DicomInputStream in =
          DicomInputStream.of(file, ReadOptions.DEFAULTS.withStopBeforeTag(Tag.PixelData))) {
        ds = in.readDataset();
      }
      ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.1234.1." + (i + 1));
      ds.setString(Tag.InstanceNumber, VR.IS, Integer.toString(i + 1));
      ds.setString(Tag.ImagePositionPatient, VR.DS, "-158.135803", "-179.035797", "" + (-i * 5));
      out.add(ds);
    }
    return out;
  }

  @Benchmark
  public long study() throws Exception {
    CountingWriter sink = new CountingWriter();
    DicomJsonWriter w = new DicomJsonWriter(sink);
    w.startArray();
    for (Attributes ds : study) {
      w.write(ds);
    }
    w.endArray();
    w.flush();
    return sink.count;
  }

  static final class CountingWriter extends Writer {
    long count;

    @Override
    public void write(char[] cbuf, int off, int len) {
      count += len;
    }

    @Override
    public void write(String s, int off, int len) {
      count += len;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
