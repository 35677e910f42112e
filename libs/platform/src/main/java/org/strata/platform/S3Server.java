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
 * production.
 */
final class S3Server implements Server {
  private final PlatformConfig config;
  private final Path dir;
  private final int port;
  private ManagedProcess process;

  S3Server(PlatformConfig config) {
    this.config = config;
    this.dir = config.dataDir().resolve("s3");
    this.port = Ports.resolve(config.s3Port(), config.host());
  }

  @Override
  public String name() {
    return "s3proxy";
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
              name(), command, dir, dir.resolve("s3proxy.log"), Map.of(), "TERM", null);
      MinioClient client = client();
      Waits.until(process, Duration.ofSeconds(60), this::ready);
      for (String bucket : config.buckets()) {
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
    return Map.of(
        "strata.s3.endpoint", endpoint(),
        "strata.s3.access-key", config.s3AccessKey(),
        "strata.s3.secret-key", config.s3SecretKey());
  }
}
