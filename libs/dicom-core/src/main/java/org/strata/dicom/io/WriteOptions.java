package org.strata.dicom.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.zip.Deflater;
import org.strata.dicom.BulkDataRef;

/**
 * How a {@link DicomOutputStream} encodes. Immutable: the {@code with} methods return a copy.
 *
 * @param undefinedLengthSequences write sequences and items with undefined length and delimiters
 *     (the default, a streaming writer's natural form); false computes and writes defined lengths
 * @param removeGroupLengths drop group length elements (gggg,0000) outside group 0002; by default
 *     they are kept where the data set has them and their value is recomputed for the encoding
 * @param deflateLevel {@link Deflater} level for the deflated transfer syntax
 * @param bulkDataSource where the bytes of {@link BulkDataRef} values come from
 */
public record WriteOptions(
    boolean undefinedLengthSequences,
    boolean removeGroupLengths,
    int deflateLevel,
    BulkDataSource bulkDataSource) {

  /** Opens the bytes a {@link BulkDataRef} points to. */
  @FunctionalInterface
  public interface BulkDataSource {
    /** A stream of exactly {@code ref.length()} bytes (more may follow; only those are read). */
    InputStream open(BulkDataRef ref) throws IOException;
  }

  /** Resolves {@code file:} URIs, the ones {@link DicomInputStream#open} puts in references. */
  public static final BulkDataSource FILES =
      ref -> {
        if (ref.uri() == null || !ref.uri().startsWith("file:")) {
          throw new IOException("cannot resolve bulk data " + ref + ": not a file: URI");
        }
        FileChannel ch = FileChannel.open(Path.of(java.net.URI.create(ref.uri())));
        ch.position(ref.offset());
        return Channels.newInputStream(ch);
      };

  public static final WriteOptions DEFAULTS =
      new WriteOptions(true, false, Deflater.DEFAULT_COMPRESSION, FILES);

  public WriteOptions {
    if (deflateLevel < -1 || deflateLevel > 9) {
      throw new IllegalArgumentException("deflate level " + deflateLevel);
    }
    if (bulkDataSource == null) {
      throw new IllegalArgumentException("bulkDataSource is required");
    }
  }

  public WriteOptions withUndefinedLengthSequences(boolean undefined) {
    return new WriteOptions(undefined, removeGroupLengths, deflateLevel, bulkDataSource);
  }

  public WriteOptions withRemoveGroupLengths(boolean remove) {
    return new WriteOptions(undefinedLengthSequences, remove, deflateLevel, bulkDataSource);
  }

  public WriteOptions withDeflateLevel(int level) {
    return new WriteOptions(undefinedLengthSequences, removeGroupLengths, level, bulkDataSource);
  }

  public WriteOptions withBulkDataSource(BulkDataSource source) {
    return new WriteOptions(undefinedLengthSequences, removeGroupLengths, deflateLevel, source);
  }
}
