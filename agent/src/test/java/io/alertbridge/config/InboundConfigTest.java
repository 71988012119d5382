package io.alertbridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.alertbridge.smtp.TlsMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inbound}: the IMAP mailbox of replies and bounces, each mistake named (issue 18). */
class InboundConfigTest {
  @TempDir Path dir;
  private Path key;

  @BeforeEach
  void privateKey() throws Exception {
    key = dir.resolve("inbound.key");
    Files.write(key, new byte[32]);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
  }

  private String inbound(String extra) {
    return ConfigFixtures.VALID
        + "inbound:\n"
        + "  host: 127.0.0.1\n"
        + "  username: alertbridge\n"
        + "  reply-address: alerts+{token}@plant.example\n"
        + "  bounce-address: bounces+{token}@plant.example\n"
        + "  key-file: "
        + key
        + "\n"
        + extra;
  }

  private AlertbridgeConfig load(String yaml, Map<String, String> env) throws Exception {
    return new ConfigLoader(env).load(ConfigFixtures.write(dir, yaml));
  }

  private ConfigException failure(String yaml) {
    return (ConfigException) catchThrowable(() -> load(yaml, Map.of()));
  }

  @Test
  void aMailboxIsOptional() throws Exception {
    assertThat(load(ConfigFixtures.VALID, Map.of()).inbound()).isNull();
  }

  @Test
  void theDefaultsAreInboxPolledEveryMinuteUpToTenMebibytes() throws Exception {
    InboundSettings in =
        load(inbound("  password: ${IMAP_PASSWORD}\n"), Map.of("IMAP_PASSWORD", "s3cret"))
            .inbound();

    assertThat(in.password()).isEqualTo("s3cret");
    assertThat(in.tls()).isEqualTo(TlsMode.NONE);
    assertThat(in.port()).isEqualTo(143);
    assertThat(in.folder()).isEqualTo("INBOX");
    assertThat(in.pollInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(in.maxMessageSize()).isEqualTo(DataSize.ofMebibytes(10));
    assertThat(in.toString()).doesNotContain("s3cret").contains("password=***");
  }

  @Test
  void implicitTlsDefaultsToPort993() throws Exception {
    InboundSettings in = load(inbound("  password: x\n  tls: implicit\n"), Map.of()).inbound();
    assertThat(in.port()).isEqualTo(993);
  }

  @Test
  void thePasswordNeverAppearsInAProblem() {
    ConfigException e = failure(inbound("  password: [not, a, string]\n"));
    assertThat(e.problems())
        .containsExactly(
            new ConfigProblem("inbound.password", null, "must be a single value (a string)"));
    assertThat(e.getMessage()).doesNotContain("not, a, string");
  }

  @Test
  void plaintextToARemoteServerIsRefused() {
    ConfigException e =
        failure(inbound("  password: x\n").replace("host: 127.0.0.1", "host: imap.plant.example"));
    assertThat(e.problems())
        .containsExactly(
            new ConfigProblem(
                "inbound.tls",
                "\"none\"",
                "must be starttls or implicit: the mailbox's password or token would cross the"
                    + " network in the clear (none is allowed only for a loopback host)"));
  }

  @Test
  void aCaFileThatIsNotPemIsNamed() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
    ConfigException e =
        failure(inbound("  password: x\n  tls: implicit\n  tls-ca-file: " + ca + "\n"));
    assertThat(e.problems()).extracting(ConfigProblem::path).containsExactly("inbound.tls-ca-file");
    assertThat(e.problems().get(0).rule()).startsWith("must be readable PEM: ");
  }

  @Test
  void exactlyOneOfPasswordAndOAuth2() {
    assertThat(failure(inbound("")).problems())
        .containsExactly(
            new ConfigProblem("inbound.password", null, "is required unless oauth2 is set"));
    assertThat(failure(inbound("  password: x\n  oauth2: {token-file: " + key + "}\n")).problems())
        .containsExactly(
            new ConfigProblem("inbound.password", null, "must not be set with oauth2"));
  }

  @Test
  void oauth2IsCheckedAsForSmtpServers() throws Exception {
    assertThat(failure(inbound("  oauth2: {token-url: http://idp.example/token}\n")).problems())
        .containsExactlyInAnyOrder(
            new ConfigProblem(
                "inbound.oauth2.token-url",
                "\"http://idp.example/token\"",
                "must be an https URL: the client secret travels in the request"),
            new ConfigProblem("inbound.oauth2.client-id", null, "is required with token-url"),
            new ConfigProblem("inbound.oauth2.client-secret", null, "is required with token-url"));
    assertThat(load(inbound("  oauth2: {token-file: " + key + "}\n"), Map.of()).inbound().oauth2())
        .isNotNull();
  }

  @Test
  void replyAndBounceAddressesNeedOneTokenInTheLocalPart() {
    String yaml =
        inbound("  password: x\n")
            .replace("alerts+{token}@plant.example", "alerts@{token}.plant.example")
            .replace("bounces+{token}@plant.example", "b+{token}{token}@plant.example");
    String rule =
        "must contain {token} exactly once, in the local part (e.g. alerts+{token}@example.org)";
    assertThat(failure(yaml).problems())
        .containsExactly(
            new ConfigProblem("inbound.reply-address", "\"alerts@{token}.plant.example\"", rule),
            new ConfigProblem(
                "inbound.bounce-address", "\"b+{token}{token}@plant.example\"", rule));
  }

  @Test
  void anAddressMustBeValidOnceTheTokenIsFilledIn() {
    ConfigException e =
        failure(
            inbound("  password: x\n")
                .replace("alerts+{token}@plant.example", "\"alerts {token}@plant.example\""));
    assertThat(e.problems())
        .extracting(ConfigProblem::path)
        .containsExactly("inbound.reply-address");
    assertThat(e.problems().get(0).rule())
        .startsWith("must be an ASCII RFC 5321 mailbox (local@domain) once {token} is filled in");
  }

  @Test
  void theKeyFileMustExist() {
    ConfigException e =
        failure(inbound("  password: x\n").replace(key.toString(), "/nonexistent/k"));
    assertThat(e.problems())
        .containsExactly(
            new ConfigProblem("inbound.key-file", "\"/nonexistent/k\"", "must be a readable file"));
  }

  @Test
  void aShortKeyIsRefused() throws Exception {
    Files.write(key, new byte[31]);
    assertThat(failure(inbound("  password: x\n")).problems())
        .containsExactly(
            new ConfigProblem(
                "inbound.key-file",
                '"' + key.toString() + '"',
                "must hold at least 32 bytes (e.g. head -c 32 /dev/urandom > FILE)"));
  }

  @Test
  void aKeyOthersMayReadIsRefused() throws Exception {
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(failure(inbound("  password: x\n")).problems())
        .containsExactly(
            new ConfigProblem(
                "inbound.key-file",
                '"' + key.toString() + '"',
                "must not be readable by others (chmod o-r, e.g. 0600 or 0640): it signs tokens"));
  }

  @Test
  void aTrustedAuthservIdIsOneToken() {
    assertThat(failure(inbound("  password: x\n  trusted-authserv-id: \"mx; evil\"\n")).problems())
        .containsExactly(
            new ConfigProblem(
                "inbound.trusted-authserv-id",
                "\"mx; evil\"",
                "must be an authserv-id as in Authentication-Results (RFC 8601), e.g."
                    + " mx.example.org"));
  }

  @Test
  void pollIntervalAndSizeMustBePositive() {
    ConfigException e =
        failure(inbound("  password: x\n  poll-interval: 0s\n  max-message-size: 0\n"));
    assertThat(e.problems())
        .containsExactly(
            new ConfigProblem("inbound.poll-interval", "0s", "must be longer than zero"),
            new ConfigProblem("inbound.max-message-size", "0", "must be above zero"));
  }

  @Test
  void anUnknownKeyIsAnError() {
    assertThat(failure(inbound("  password: x\n  mailbox: INBOX\n")).problems())
        .extracting(ConfigProblem::path)
        .containsExactly("inbound.mailbox");
  }
}
