package org.strata.platform;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * S3-compatible object storage: s3proxy (from Maven Central) on its {@code filesystem-nio2}
 * backend, in its own JVM. Strata talks to it only through the MinIO SDK, as to MinIO in
 * production. The platform runs two: the first tier ({@code strata.s3.*}, where ingest writes) and
 * a second server for the second storage tier ({@code strata.s3.tiers.cold.*}), so that a tier move
 * really crosses S3 endpoints.
 */
final class S3Server implements Server {
  /** The second server's tier name, bucket and data folder. */
  static final String COLD_TIER = "cold";

  static final String COLD_BUCKET = "strata-cold";

  private final PlatformConfig config;
  private final boolean cold;
  private final Path dir;
  private final int port;
  private ManagedProcess process;

  private S3Server(PlatformConfig config, boolean cold) {
    this.config = config;
    this.cold = cold;
    this.dir = config.dataDir().resolve(cold ? "s3-cold" : "s3");
    this.port = Ports.resolve(cold ? config.s3ColdPort() : config.s3Port(), config.host());
  }

  /** The first tier's server. */
  static S3Server first(PlatformConfig config) {
    return new S3Server(config, false);
  }

  /** The second tier's server. */
  static S3Server cold(PlatformConfig config) {
    return new S3Server(config, true);
  }

  @Override
  public String name() {
    return cold ? "s3proxy-cold" : "s3proxy";
  }

  /** Where the server keeps a bucket's objects (one file per key, for tests that damage one). */
  Path bucketDir(String bucket) {
    return dir.resolve("blobs").resolve(bucket);
  }

  private List<String> buckets() {
    return cold ? List.of(COLD_BUCKET) : config.buckets();
  }

  String endpoint() {
    return "http://" + config.host() + ":" + port;
  }

  MinioClient client() {
    return MinioClient.builder()
        .endpoint(endpoint())
        .credentials(config.s3AccessKey(), config.s3SecretKey())
        .region("us-east-1")
        .build();
  }

  @Override
  public void start() {
    Ports.requireFree(config.host(), port, "s3proxy");
    Path jar = config.distDir().resolve("s3proxy").resolve("s3proxy.jar");
    if (!Files.isRegularFile(jar)) {
      throw new PlatformException(
          "s3proxy not found at " + jar + ": build libs/platform-dist first (make build)");
    }
    try {
      Path blobs = Files.createDirectories(dir.resolve("blobs"));
      Path properties = dir.resolve("s3proxy.properties");
      Files.writeString(
          properties,
          String.join(
              "\n",
              "s3proxy.endpoint=" + endpoint(),
              "s3proxy.authorization=aws-v2-or-v4",
              "s3proxy.identity=" + config.s3AccessKey(),
              "s3proxy.credential=" + config.s3SecretKey(),
              // Large STOW and C-STORE uploads are streamed in chunks by the MinIO SDK.
              "s3proxy.v4-max-non-chunked-request-size=134217728",
              "jclouds.provider=filesystem-nio2",
              "jclouds.filesystem.basedir=" + blobs,
              ""));
      List<String> command = new ArrayList<>(KafkaBroker.java());
      command.addAll(
          List.of("-Xms64m", "-Xmx512m", "-jar", "" + jar, "--properties", properties.toString()));
      process =
          ManagedProcess.start(
              name(), command, dir, dir.resolve(name() + ".log"), Map.of(), "TERM", null);
      MinioClient client = client();
      Waits.until(process, Duration.ofSeconds(60), this::ready);
      for (String bucket : buckets()) {
        if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
          client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (PlatformException e) {
      throw e;
    } catch (Exception e) {
      throw new PlatformException("cannot create S3 buckets: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean ready() throws Exception {
    return client().listBuckets() != null;
  }

  @Override
  public ManagedProcess process() {
    return process;
  }

  @Override
  public void stop() {
    if (process != null) {
      process.stop(Duration.ofSeconds(30));
    }
  }

  @Override
  public long residentBytes() {
    return process == null ? -1 : process.residentBytes();
  }

  @Override
  public Map<String, String> addresses() {
    if (cold) {
      String prefix = "strata.s3.tiers." + COLD_TIER + ".";
      return Map.of(
          "strata.s3.tiers",
          COLD_TIER,
          prefix + "endpoint",
          endpoint(),
          prefix + "access-key",
          config.s3AccessKey(),
          prefix + "secret-key",
          config.s3SecretKey(),
          prefix + "bucket",
          COLD_BUCKET,
          prefix + "retrieval",
          "online");
    }
    return Map.of(
        "strata.s3.endpoint", endpoint(),
        "strata.s3.access-key", config.s3AccessKey(),
        "strata.s3.secret-key", config.s3SecretKey());
  }
}
