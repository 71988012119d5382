package io.alertbridge.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertbridge.silence.Matcher;
import io.alertbridge.silence.Silence;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Alertmanager's v2 silence API over real sockets, against an in-memory store. */
class SilenceApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ALICE = "Authorization: Bearer " + OperatorServer.ALICE;

  private OperatorServer op;

  @AfterEach
  void close() {
    if (op != null) {
      op.close();
    }
  }

  private OperatorServer start(boolean auth) throws Exception {
    op = new OperatorServer(auth);
    return op;
  }

  private static String silence(String matchers, Instant start, Instant end) {
    return "{\"matchers\":"
        + matchers
        + ",\"startsAt\":\""
        + start
        + "\",\"endsAt\":\""
        + end
        + "\",\"createdBy\":\"someone-else\",\"comment\":\"T3 is being replaced\"}";
  }

  private static String inTwoHours(String matchers) {
    Instant now = Instant.now();
    return silence(matchers, now, now.plus(Duration.ofHours(2)));
  }

  private RawHttp.Reply post(String body, String... headers) throws Exception {
    return RawHttp.request(op.page(), "POST", "/api/v2/silences", body, headers);
  }

  @Test
  void aPostedSilenceIsStoredWithAlertbridgeNamesAndTheTokenHolderAsAuthor() throws Exception {
    start(true);
    String matchers =
        "[{\"name\":\"alertname\",\"value\":\"Overtemp\",\"isRegex\":false},"
            + "{\"name\":\"sensor\",\"value\":\"T3\",\"isRegex\":false,\"isEqual\":true},"
            + "{\"name\":\"labels.site\",\"value\":\"north|south\",\"isRegex\":true},"
            + "{\"name\":\"severity\",\"value\":\"info\",\"isRegex\":false,\"isEqual\":false}]";

    RawHttp.Reply r = post(inTwoHours(matchers), ALICE, "Content-Type: application/json");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers().get("content-type")).isEqualTo("application/json");
    String id = JSON.readTree(r.body()).get("silenceID").asText();
    Silence s = op.store.get(id).orElseThrow();
    assertThat(s.matchers())
        .containsExactly(
            Matcher.parse("type=Overtemp"),
            Matcher.parse("labels.sensor=T3"),
            Matcher.parse("labels.site=~\"north|south\""),
            Matcher.parse("severity!=info"));
    assertThat(s.createdBy()).isEqualTo("alice");
    assertThat(s.comment()).isEqualTo("T3 is being replaced");
    assertThat(op.log.lines()).containsExactly("added " + id + " by alice");
  }

  @Test
  void silencesAreListedWithAlertmanagerNamesAndStates() throws Exception {
    start(true);
    Instant now = Instant.now();
    Silence active =
        op.store.add(
            List.of(Matcher.parse("type=Overtemp"), Matcher.parse("labels.sensor=T3")),
            now.minusSeconds(60),
            now.plus(Duration.ofHours(1)),
            "alice",
            "c",
            false);
    Silence pending =
        op.store.add(
            List.of(Matcher.parse("labels.source=x"), Matcher.parse("source=plc")),
            now.plus(Duration.ofHours(1)),
            now.plus(Duration.ofHours(2)),
            "bob",
            "later",
            false);

    RawHttp.Reply r = RawHttp.request(op.page(), "GET", "/api/v2/silences", null);

    assertThat(r.status()).isEqualTo(200);
    JsonNode list = JSON.readTree(r.body());
    assertThat(list).hasSize(2);
    JsonNode first = list.get(0);
    assertThat(first.get("id").asText()).isEqualTo(active.id());
    assertThat(first.at("/status/state").asText()).isEqualTo("active");
    assertThat(first.at("/matchers/0/name").asText()).isEqualTo("alertname");
    assertThat(first.at("/matchers/1/name").asText()).isEqualTo("sensor");
    assertThat(first.at("/matchers/1/isEqual").asBoolean()).isTrue();
    assertThat(first.at("/matchers/1/isRegex").asBoolean()).isFalse();
    assertThat(first.get("createdBy").asText()).isEqualTo("alice");
    assertThat(Instant.parse(first.get("endsAt").asText())).isEqualTo(active.endsAt());
    JsonNode second = list.get(1);
    assertThat(second.get("id").asText()).isEqualTo(pending.id());
    assertThat(second.at("/status/state").asText()).isEqualTo("pending");
    // A label named like a field keeps its prefix, so that posting it back means the same.
    assertThat(second.at("/matchers/0/name").asText()).isEqualTo("labels.source");
    assertThat(second.at("/matchers/1/name").asText()).isEqualTo("source");
  }

  @Test
  void theFilterKeepsSilencesWithEqualMatchersInAlertmanagerNames() throws Exception {
    start(true);
    Instant now = Instant.now();
    Instant end = now.plus(Duration.ofHours(1));
    Silence t3 =
        op.store.add(
            List.of(Matcher.parse("type=Overtemp"), Matcher.parse("labels.sensor=T3")),
            now,
            end,
            "a",
            "",
            false);
    op.store.add(List.of(Matcher.parse("type=Overtemp")), now, end, "a", "", false);

    RawHttp.Reply r =
        RawHttp.request(
            op.page(),
            "GET",
            "/api/v2/silences?filter=alertname%3D%22Overtemp%22&filter=sensor%3D%22T3%22",
            null);

    JsonNode list = JSON.readTree(r.body());
    assertThat(list).hasSize(1);
    assertThat(list.get(0).get("id").asText()).isEqualTo(t3.id());
    assertThat(RawHttp.request(op.page(), "GET", "/api/v2/silences?filter=a%3D~%22(%22", null))
        .extracting(RawHttp.Reply::status)
        .isEqualTo(400);
  }

  @Test
  void oneSilenceIsReadAndDeletedByItsId() throws Exception {
    start(true);
    String id =
        JSON.readTree(post(inTwoHours("[{\"name\":\"sensor\",\"value\":\"T3\"}]"), ALICE).body())
            .get("silenceID")
            .asText();

    RawHttp.Reply got = RawHttp.request(op.page(), "GET", "/api/v2/silence/" + id, null);
    RawHttp.Reply deleted =
        RawHttp.request(
            op.page(),
            "DELETE",
            "/api/v2/silence/" + id,
            null,
            "Authorization: Bearer " + OperatorServer.BOB);

    assertThat(got.status()).isEqualTo(200);
    assertThat(JSON.readTree(got.body()).at("/status/state").asText()).isEqualTo("active");
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(op.store.get(id).orElseThrow().state(Instant.now()))
        .isEqualTo(Silence.State.EXPIRED);
    assertThat(op.log.lines())
        .containsExactly("added " + id + " by alice", "expired " + id + " by bob");
    assertThat(RawHttp.request(op.page(), "GET", "/api/v2/silence/nope", null).status())
        .isEqualTo(404);
    assertThat(RawHttp.request(op.page(), "DELETE", "/api/v2/silence/nope", null, ALICE).status())
        .isEqualTo(404);
  }

  @Test
  void postingAnExistingIdExpiresItAndCreatesANewSilence() throws Exception {
    start(true);
    String old =
        JSON.readTree(post(inTwoHours("[{\"name\":\"sensor\",\"value\":\"T3\"}]"), ALICE).body())
            .get("silenceID")
            .asText();
    String edited =
        inTwoHours("[{\"name\":\"sensor\",\"value\":\"T4\"}]")
            .replace("{\"matchers\"", "{\"id\":\"" + old + "\",\"matchers\"");

    RawHttp.Reply r = post(edited, ALICE);

    String fresh = JSON.readTree(r.body()).get("silenceID").asText();
    assertThat(fresh).isNotEqualTo(old);
    assertThat(op.store.get(old).orElseThrow().state(Instant.now()))
        .isEqualTo(Silence.State.EXPIRED);
    assertThat(op.store.get(fresh).orElseThrow().matchers())
        .containsExactly(Matcher.parse("labels.sensor=T4"));
    assertThat(post(edited.replace(old, "unknown-id"), ALICE).status()).isEqualTo(404);
  }

  @Test
  void aSilenceThatWouldMatchEverythingIsABadRequestWithTheReason() throws Exception {
    start(true);

    RawHttp.Reply r =
        post(inTwoHours("[{\"name\":\"sensor\",\"value\":\".*\",\"isRegex\":true}]"), ALICE);

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.headers().get("content-type")).startsWith("text/plain");
    assertThat(r.body()).contains("would match every alert");
    assertThat(op.store.all()).isEmpty();
  }

  @Test
  void malformedSilencesAreBadRequestsSayingWhy() throws Exception {
    start(true);
    Instant now = Instant.now();

    assertThat(post("{not json", ALICE).body()).startsWith("the body is not JSON");
    assertThat(
            post(inTwoHours("[{\"name\":\"sensor\",\"value\":\"(\",\"isRegex\":true}]"), ALICE)
                .body())
        .contains("not a valid regular expression");
    assertThat(post(inTwoHours("[]"), ALICE).body())
        .isEqualTo("matchers: a non-empty array is required\n");
    assertThat(post(silence("[{\"name\":\"s\",\"value\":\"x\"}]", now, now), ALICE).body())
        .isEqualTo("the silence's start time must be before its end time\n");
    assertThat(
            post(
                    inTwoHours("[{\"name\":\"s\",\"value\":\"x\"}]")
                        .replace("Z\"", "\"")
                        .replaceFirst("\"startsAt\":\"[^\"]*\"", "\"startsAt\":\"yesterday\""),
                    ALICE)
                .body())
        .startsWith("startsAt: not an RFC 3339 date-time");
    assertThat(op.store.all()).isEmpty();
  }

  @Test
  void writesWithoutAValidTokenAreUnauthorized() throws Exception {
    start(true);
    String body = inTwoHours("[{\"name\":\"sensor\",\"value\":\"T3\"}]");

    RawHttp.Reply none = post(body);
    RawHttp.Reply wrong = post(body, "Authorization: Bearer " + OperatorServer.ALICE + "x");
    RawHttp.Reply basic = post(body, "Authorization: Basic YWxpY2U6eA==");

    for (RawHttp.Reply r : List.of(none, wrong, basic)) {
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.headers().get("www-authenticate")).startsWith("Bearer");
      assertThat(r.raw()).doesNotContain(OperatorServer.ALICE);
    }
    assertThat(RawHttp.request(op.page(), "DELETE", "/api/v2/silence/x", null).status())
        .isEqualTo(401);
    assertThat(op.store.all()).isEmpty();
  }

  @Test
  void withoutHttpAuthEveryWriteIsForbiddenAndReadsStillWork() throws Exception {
    start(false);

    RawHttp.Reply r = post(inTwoHours("[{\"name\":\"sensor\",\"value\":\"T3\"}]"), ALICE);

    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body()).isEqualTo(WriteGate.DISABLED);
    assertThat(RawHttp.request(op.page(), "POST", "/-/reload", "", ALICE).status()).isEqualTo(403);
    assertThat(RawHttp.request(op.page(), "GET", "/api/v2/silences", null).body()).isEqualTo("[]");
    assertThat(op.reloads).hasValue(0);
  }

  @Test
  void theStatusEndpointSaysWhatAlertbridgeIsHonestly() throws Exception {
    start(true);

    JsonNode s = JSON.readTree(RawHttp.request(op.page(), "GET", "/api/v2/status", null).body());

    assertThat(s.at("/cluster/status").asText()).isEqualTo("disabled");
    assertThat(s.at("/versionInfo/version").asText()).isEqualTo("1.4.0");
    assertThat(s.at("/config/original").asText()).isEmpty();
    assertThat(Instant.parse(s.get("uptime").asText())).isBefore(Instant.now());
  }

  @Test
  void reloadAnswers200WhenTakenAnd500WithTheProblemsWhenNot() throws Exception {
    start(true);

    RawHttp.Reply ok = RawHttp.request(op.page(), "POST", "/-/reload", "", ALICE);
    op.reloadProblems = List.of("routes[0].to: unknown list oncall", "smtp.servers: empty");
    RawHttp.Reply failed = RawHttp.request(op.page(), "POST", "/-/reload", null, ALICE);
    RawHttp.Reply anonymous = RawHttp.request(op.page(), "POST", "/-/reload", null);

    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("configuration reloaded\n");
    assertThat(failed.status()).isEqualTo(500);
    assertThat(failed.body())
        .isEqualTo(
            "configuration not reloaded; the last good one stays in force:\n"
                + "- routes[0].to: unknown list oncall\n- smtp.servers: empty\n");
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(op.reloads).hasValue(2);
  }

  @Test
  void theMetricsListenerServesNeitherTheApiNorReload() throws Exception {
    start(true);

    assertThat(RawHttp.request(op.metrics(), "GET", "/api/v2/silences", null).status())
        .isEqualTo(404);
    assertThat(RawHttp.request(op.metrics(), "POST", "/-/reload", "", ALICE).status())
        .isEqualTo(405);
    assertThat(op.reloads).hasValue(0);
  }
}
