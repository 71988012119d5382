package io.alertbridge.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventDecoderTest {
  static final String OVERTEMP =
      """
      {"id": "0f8c7a9e-3d2b-4b8e-9a51-6c2f0e7d1a42", "time": "2026-11-28T13:05:00Z",
       "source": "engine-room/plc-3", "type": "overtemp", "severity": "critical", "status": "firing",
       "summary": "Overtemp in the engine room: 98.4 °C", "description": "Sensor T3 above 90 °C for 60 s",
       "labels": {"site": "ship-1", "room": "engine", "sensor": "T3"},
       "values": {"temperature_c": 98.4, "threshold_c": 90}}""";

  private final EventDecoder decoder = new EventDecoder(1024 * 1024);

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void decodesThePlainJsonAlert() throws Exception {
    AlertEvent e = decoder.decode(utf8(OVERTEMP), Map.of());
    assertThat(e.id()).isEqualTo("0f8c7a9e-3d2b-4b8e-9a51-6c2f0e7d1a42");
    assertThat(e.time()).isEqualTo(Instant.parse("2026-11-28T13:05:00Z"));
    assertThat(e.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(e.status()).isEqualTo(Status.FIRING);
    assertThat(e.labels()).containsEntry("room", "engine");
    assertThat(e.values())
        .containsEntry("temperature_c", new BigDecimal("98.4"))
        .containsEntry("threshold_c", 90L);
    assertThat(e.summary()).isEqualTo("Overtemp in the engine room: 98.4 °C");
  }

  @Test
  void statusDefaultsToFiringAndOptionalFieldsToEmpty() throws Exception {
    AlertEvent e =
        decoder.decode(
            utf8(
                """
        {"id": "a", "time": "2026-11-28T13:05:00+01:00", "source": "s", "type": "t", "severity": "info"}"""),
            Map.of());
    assertThat(e.status()).isEqualTo(Status.FIRING);
    assertThat(e.time()).isEqualTo(Instant.parse("2026-11-28T12:05:00Z"));
    assertThat(e.summary()).isEmpty();
    assertThat(e.labels()).isEmpty();
  }

  @Test
  void decodesAStructuredCloudEventTakingAttributesAsFallback() throws Exception {
    String ce =
        """
        {"specversion": "1.0", "id": "ce-1", "source": "engine-room/bilge-2", "type": "pump",
         "time": "2026-11-28T13:05:00Z",
         "data": {"severity": "warning", "summary": "Bilge pump running long"}}""";
    AlertEvent e =
        decoder.decode(
            utf8(ce), Map.of("content-type", "application/cloudevents+json; charset=utf-8"));
    assertThat(e.id()).isEqualTo("ce-1");
    assertThat(e.source()).isEqualTo("engine-room/bilge-2");
    assertThat(e.severity()).isEqualTo(Severity.WARNING);
    assertThat(e.summary()).isEqualTo("Bilge pump running long");
  }

  @Test
  void alertFieldsInDataWinOverCloudEventAttributes() throws Exception {
    String ce =
        """
        {"specversion": "1.0", "id": "ce-1", "source": "s", "type": "t", "time": "2026-11-28T13:05:00Z",
         "data": {"id": "alert-7", "severity": "info"}}""";
    assertThat(decoder.decode(utf8(ce), Map.of()).id()).isEqualTo("alert-7");
  }

  @Test
  void decodesABinaryCloudEventFromCeHeaders() throws Exception {
    AlertEvent e =
        decoder.decode(
            utf8("{\"severity\": \"critical\", \"status\": \"resolved\"}"),
            Map.of(
                "ce_specversion",
                "1.0",
                "ce_id",
                "bin-1",
                "ce_source",
                "engine-room/plc-3",
                "ce_type",
                "overtemp",
                "ce_time",
                "2026-11-28T13:05:00Z"));
    assertThat(e.id()).isEqualTo("bin-1");
    assertThat(e.type()).isEqualTo("overtemp");
    assertThat(e.status()).isEqualTo(Status.RESOLVED);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"id\": \"a\"|record value is not valid JSON at line 1, column 11: Unexpected end-of-input: expected close marker for Object (start marker at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 1])",
        "[1, 2]|record value must be a JSON object, found array",
        "{\"time\": \"2026-11-28T13:05:00Z\", \"source\": \"s\", \"type\": \"t\", \"severity\": \"info\"}|required field 'id' is missing",
        "{\"id\": 7, \"time\": \"2026-11-28T13:05:00Z\", \"source\": \"s\", \"type\": \"t\", \"severity\": \"info\"}|field 'id' must be a string, found number",
        "{\"id\": \"a\", \"time\": \"yesterday\", \"source\": \"s\", \"type\": \"t\", \"severity\": \"info\"}|field 'time' must be an RFC 3339 timestamp such as 2026-11-28T13:05:00Z, found \"yesterday\"",
        "{\"id\": \"a\", \"time\": \"2026-11-28T13:05:00Z\", \"source\": \"s\", \"type\": \"t\", \"severity\": \"urgent\"}|field 'severity' must be critical, warning or info, found \"urgent\"",
        "{\"id\": \"a\", \"time\": \"2026-11-28T13:05:00Z\", \"source\": \"s\", \"type\": \"t\", \"severity\": \"info\", \"status\": \"open\"}|field 'status' must be firing or resolved, found \"open\"",
        "{\"id\": \"a\", \"time\": \"2026-11-28T13:05:00Z\", \"source\": \"s\", \"type\": \"t\", \"severity\": \"info\", \"labels\": {\"n\": 1}}|label 'n' must be a string, found number",
        "{\"id\": \"a\", \"time\": \"2026-11-28T13:05:00Z\", \"source\": \"s\", \"type\": \"t\", \"severity\": \"info\", \"values\": {\"v\": [1]}}|value 'v' must be a number or a string, found array",
        "{\"id\": \"a\\r\\nBcc: x\", \"time\": \"2026-11-28T13:05:00Z\", \"source\": \"s\", \"type\": \"t\", \"severity\": \"info\"}|field 'id' contains a control character",
        "{\"id\": \"a\", \"id\": \"b\", \"time\": \"2026-11-28T13:05:00Z\", \"source\": \"s\", \"type\": \"t\", \"severity\": \"info\"}|record value is not valid JSON at line 1, column 17: Duplicate field 'id'",
        "{\"id\": \"a\", \"time\": \"2026-11-28T13:05:00Z\", \"source\": \"s\", \"type\": \"t\", \"severity\": \"info\"} {}|record value is not valid JSON at line 1, column 93: Trailing token (of type START_OBJECT) found after value (bound as `com.fasterxml.jackson.databind.JsonNode`): not allowed as per `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`",
      })
  void rejectsInvalidEventsNamingTheProblem(String json, String reason) {
    assertThatThrownBy(() -> decoder.decode(utf8(json), Map.of()))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage(reason);
  }

  @ParameterizedTest
  @CsvSource({
    "+300000000-01-01T00:00:00Z",
    "-300000000-01-01T00:00:00Z",
    "+292278994-08-17T07:12:55.808Z",
    "+10000-01-01T00:00:00Z",
    "-0001-12-31T23:59:59Z"
  })
  void rejectsTimesOutsideFourDigitYears(String time) {
    String json =
        "{\"id\": \"a\", \"time\": \""
            + time
            + "\", \"source\": \"s\", \"type\": \"t\", \"severity\": \"info\"}";
    assertThatThrownBy(() -> decoder.decode(utf8(json), Map.of()))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage(
            "field 'time' is out of range: it must be within 0000-01-01T00:00:00Z and"
                + " 9999-12-31T23:59:59.999Z (RFC 3339's four-digit years), found \""
                + time
                + "\"");
  }

  @ParameterizedTest
  @CsvSource({"9999-12-31T23:59:59.999Z", "0000-01-01T00:00:00Z"})
  void acceptsTheOutermostFourDigitYears(String time) throws Exception {
    String json =
        "{\"id\": \"a\", \"time\": \""
            + time
            + "\", \"source\": \"s\", \"type\": \"t\", \"severity\": \"info\"}";
    assertThat(decoder.decode(utf8(json), Map.of()).time()).isEqualTo(Instant.parse(time));
  }

  @Test
  void rejectsRecordsLargerThanTheLimit() {
    EventDecoder small = new EventDecoder(100);
    assertThatThrownBy(() -> small.decode(new byte[101], Map.of()))
        .hasMessage("record value is 101 bytes; the limit (kafka.max-event-size) is 100");
  }

  @Test
  void rejectsTombstones() {
    assertThatThrownBy(() -> decoder.decode(null, Map.of()))
        .hasMessage("record has no value (tombstone)");
  }

  @Test
  void rejectsBase64CloudEventData() {
    String ce =
        "{\"specversion\": \"1.0\", \"id\": \"x\", \"data_base64\": \"e30=\", \"data\": {}}";
    assertThatThrownBy(() -> decoder.decode(utf8(ce), Map.of()))
        .hasMessage("CloudEvent data_base64 is not supported; send data as JSON");
  }

  private static String withValue(String literal) {
    return """
        {"id": "n", "time": "2026-11-28T13:05:00Z", "source": "s", "type": "t",
         "severity": "info", "values": {"t": %s}}"""
        .formatted(literal);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "1e999999999 | value 't' is out of range: its magnitude must be within 1e-324 and 1e308"
            + " (found an exponent of 999999999)",
        "-1e309 | value 't' is out of range: its magnitude must be within 1e-324 and 1e308 (found"
            + " an exponent of 309)",
        "1e-999999999 | value 't' is out of range: its magnitude must be within 1e-324 and 1e308"
            + " (found an exponent of -999999999)",
      })
  void aNumberNoTemplateCouldPrintMakesTheEventInvalidNamingTheField(String literal, String why) {
    assertThatThrownBy(() -> decoder.decode(utf8(withValue(literal)), Map.of()))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage(why);
  }

  @Test
  void tooManySignificantDigitsMakeTheEventInvalid() {
    String digits = "1." + "3".repeat(110);
    assertThatThrownBy(() -> decoder.decode(utf8(withValue(digits)), Map.of()))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage("value 't' has 111 significant digits; at most 100 are allowed");
  }

  @Test
  void largeButPrintableNumbersAndZeroWithAHugeExponentAreKept() throws Exception {
    assertThat(decoder.decode(utf8(withValue("1.5e300")), Map.of()).values().get("t"))
        .isEqualTo(new BigDecimal("1.5e300"));
    assertThat(decoder.decode(utf8(withValue("0e-999999999")), Map.of()).values().get("t"))
        .isEqualTo(BigDecimal.ZERO);
  }

  @Test
  void deeplyNestedJsonIsInvalidWithoutExhaustingTheStack() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    assertThatThrownBy(() -> decoder.decode(utf8(deep), Map.of()))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("nesting depth")
        .hasMessageContaining("32");
  }

  @Test
  void invalidUtf8IsAnInvalidEvent() {
    byte[] value = utf8(withValue("1"));
    byte[] broken = java.util.Arrays.copyOf(value, value.length);
    int i = new String(value, StandardCharsets.UTF_8).indexOf("\"s\"") + 1;
    broken[i] = (byte) 0xC3;
    broken[i + 1] = (byte) 0x28;
    assertThatThrownBy(() -> decoder.decode(broken, Map.of()))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("UTF-8");
  }
}
