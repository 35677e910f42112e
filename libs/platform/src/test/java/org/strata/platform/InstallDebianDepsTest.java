package org.strata.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the real deploy/scripts/install-debian-deps.sh (what `make test` and `make run` run first)
 * with stub dpkg-query, apt-get, sudo and id on PATH, in every state a fresh machine can be in. On
 * a Debian image that already had /usr/sbin/policy-rc.d the script installed the packages and then
 * exited 1 (its EXIT trap ended in a false `[ ] && ...` under set -e).
 */
class InstallDebianDepsTest {
  private static final Path SCRIPT =
      Path.of("../../deploy/scripts/install-debian-deps.sh").toAbsolutePath().normalize();

  /** The `test` profile's packages, in the order the script lists them. */
  private static final List<String> TEST_PACKAGES =
      List.of(
          "postgresql",
          "nginx",
          "openssl",
          "dcmtk",
          "orthanc",
          "orthanc-dicomweb",
          "python3-pydicom",
          "dicom3tools",
          "chromium",
          "rsyslog",
          "rsyslog-gnutls");

  private static final Path BASH = whichReal("bash");
  private static final String EXISTING_POLICY = "#!/bin/sh\n# the image's own\nexit 101\n";

  enum User {
    ROOT,
    NON_ROOT_WITH_SUDO,
    NON_ROOT_WITHOUT_SUDO
  }

  @TempDir Path dir;

  static Stream<Arguments> states() {
    List<Arguments> all = new ArrayList<>();
    for (boolean packagesMissing : new boolean[] {true, false}) {
      for (boolean policyExists : new boolean[] {true, false}) {
        for (User user : User.values()) {
          all.add(Arguments.of(packagesMissing, policyExists, user));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "packages missing={0}, policy-rc.d present={1}, {2}")
  @MethodSource("states")
  void installsWhatIsMissingAndLeavesPolicyRcDAsItWas(
      boolean packagesMissing, boolean policyExists, User user) throws Exception {
    List<String> missing = packagesMissing ? List.of("dcmtk", "orthanc") : List.of();
    Path policy = dir.resolve("policy-rc.d");
    if (policyExists) {
      Files.writeString(policy, EXISTING_POLICY);
    }

    Run run = run(missing, policy, user, false, true);

    boolean mustFail = packagesMissing && user == User.NON_ROOT_WITHOUT_SUDO;
    if (mustFail) {
      assertEquals(1, run.exit, run.output);
      assertTrue(run.output.contains("Need root (or sudo) to install: dcmtk orthanc"), run.output);
      assertEquals(List.of(), run.aptCalls, "apt-get must not run without root");
    } else if (packagesMissing) {
      assertEquals(0, run.exit, run.output);
      String via = user == User.ROOT ? "direct" : "sudo";
      assertEquals(
          installs(via, "dcmtk orthanc"),
          run.aptCalls,
          "apt-get runs with the missing packages, privileged, while a policy-rc.d is in place");
    } else {
      assertEquals(0, run.exit, run.output);
      assertEquals(List.of(), run.aptCalls, "nothing to install: apt-get must not run");
    }
    assertPolicyAsBefore(policy, policyExists);
  }

  @Test
  void aFailingInstallStillRemovesThePolicyItCreatedAndFails() throws Exception {
    Path policy = dir.resolve("policy-rc.d");
    Run run = run(List.of("nginx"), policy, User.ROOT, true, true);
    assertNotEquals(0, run.exit, run.output);
    assertEquals(installs("direct", "nginx"), run.aptCalls);
    assertPolicyAsBefore(policy, false);
  }

  @Test
  void aFailingInstallKeepsAPolicyItDidNotCreate() throws Exception {
    Path policy = dir.resolve("policy-rc.d");
    Files.writeString(policy, EXISTING_POLICY);
    Run run = run(List.of("nginx"), policy, User.NON_ROOT_WITH_SUDO, true, true);
    assertNotEquals(0, run.exit, run.output);
    assertPolicyAsBefore(policy, true);
  }

  /** Debian's npm only without any npm: it would conflict with a Node.js from elsewhere. */
  @Test
  void installsDebiansNpmOnlyWhenThereIsNoNpm() throws Exception {
    Path policy = dir.resolve("policy-rc.d");
    Run without = run(List.of("chromium"), policy, User.ROOT, false, false);
    assertEquals(0, without.exit, without.output);
    assertEquals(installs("direct", "npm chromium"), without.aptCalls);

    Files.deleteIfExists(dir.resolve("apt.log"));
    Run with = run(List.of("chromium"), policy, User.ROOT, false, true);
    assertEquals(0, with.exit, with.output);
    assertEquals(installs("direct", "chromium"), with.aptCalls);
  }

  /** The apt-get calls that install {@code packages}, run {@code via} sudo or directly. */
  private static List<String> installs(String via, String packages) {
    return List.of(
        via + " policy=present update -qq",
        via + " policy=present install -y -qq --no-install-recommends " + packages);
  }

  private void assertPolicyAsBefore(Path policy, boolean existedBefore) throws IOException {
    if (existedBefore) {
      assertTrue(Files.exists(policy), "removed a policy-rc.d it did not create");
      assertEquals(EXISTING_POLICY, Files.readString(policy), "changed the existing policy-rc.d");
    } else {
      assertFalse(Files.exists(policy), "left behind the policy-rc.d it created");
    }
  }

  private record Run(int exit, String output, List<String> aptCalls) {}

  private Run run(
      List<String> missing, Path policy, User user, boolean aptInstallFails, boolean npmPresent)
      throws Exception {
    assertTrue(Files.isRegularFile(SCRIPT), "installer not found at " + SCRIPT);
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path aptLog = dir.resolve("apt.log");
    List<String> installed = new ArrayList<>(TEST_PACKAGES);
    installed.removeAll(missing);
    Files.write(dir.resolve("installed"), installed);

    // Only these tools and the stubs are on PATH: no real sudo, apt-get or dpkg-query can run.
    for (String tool : List.of("grep", "tee", "chmod", "rm")) {
      stub(bin, tool, "exec " + whichReal(tool) + " \"$@\"\n");
    }
    stub(
        bin,
        "dpkg-query",
        """
        pkg="${@: -1}"
        if grep -qx "$pkg" "$STUB_DIR/installed"; then printf 'install ok installed'; exit 0; fi
        echo "dpkg-query: no packages found matching $pkg" >&2
        exit 1
        """);
    stub(
        bin,
        "apt-get",
        """
        state=absent
        if [ -e "$STRATA_POLICY_RC_D" ]; then state=present; fi
        echo "${STUB_VIA_SUDO:-direct} policy=$state $*" >> "$STUB_DIR/apt.log"
        if [ "$1" = install ] && [ "$STUB_APT_FAILS" = 1 ]; then exit 100; fi
        exit 0
        """);
    stub(bin, "id", "echo \"$STUB_UID\"\n");
    Files.deleteIfExists(bin.resolve("npm"));
    if (npmPresent) {
      stub(bin, "npm", "exit 0\n");
    }
    if (user == User.NON_ROOT_WITH_SUDO) {
      stub(bin, "sudo", "STUB_VIA_SUDO=sudo exec \"$@\"\n");
    }

    ProcessBuilder pb =
        new ProcessBuilder(BASH.toString(), SCRIPT.toString(), "test").redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.clear();
    env.put("PATH", bin.toString());
    env.put("STUB_DIR", dir.toString());
    env.put("STUB_UID", user == User.ROOT ? "0" : "1000");
    env.put("STUB_APT_FAILS", aptInstallFails ? "1" : "0");
    env.put("STRATA_POLICY_RC_D", policy.toString());
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "installer did not finish");
    List<String> aptCalls = Files.exists(aptLog) ? Files.readAllLines(aptLog) : List.of();
    return new Run(p.exitValue(), output, aptCalls);
  }

  private static void stub(Path bin, String name, String body) throws IOException {
    Path file = bin.resolve(name);
    Files.writeString(file, "#!" + BASH + "\n" + body);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static Path whichReal(String tool) {
    for (String d : List.of("/usr/bin", "/bin")) {
      Path p = Path.of(d, tool);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new AssertionError(tool + " not found in /usr/bin or /bin");
  }
}
