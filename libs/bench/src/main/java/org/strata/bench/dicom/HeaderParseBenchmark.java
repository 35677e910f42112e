package org.strata.bench.dicom;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.strata.dicom.Attributes;
import org.strata.dicom.Tag;
import org.strata.dicom.io.DicomInputStream;
import org.strata.dicom.io.ReadOptions;

/** (a) Open a file and parse its header up to Pixel Data (file meta information included). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HeaderParseBenchmark {

  @Param({"CT_small.dcm", "MR_small.dcm"})
  public String file;

  private Path path;
  private final ReadOptions options = ReadOptions.DEFAULTS.withStopBeforeTag(Tag.PixelData);

  @Setup
  public void setup() {
    path = DicomBench.SAMPLES.resolve(file);
  }

  @Benchmark
  public int parseHeader() throws Exception {
    try (DicomInputStream in = DicomInputStream.open(path, options)) {
      in.readFileMetaInformation();
      Attributes ds = in.readDataset();
      return ds.size();
    }
  }
}
