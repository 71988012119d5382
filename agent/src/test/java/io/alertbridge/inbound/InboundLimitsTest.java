package io.alertbridge.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InboundLimitsTest {

  @Test
  void defaultsAreTenMebibytesDepthTwentyTwoHundredPartsAnd64KibibytesOfText() {
    assertThat(InboundLimits.defaults())
        .isEqualTo(new InboundLimits(10L * 1024 * 1024, 20, 200, 65536));
  }

  @Test
  void statesTheRuleOfEachBound() {
    assertThatThrownBy(() -> new InboundLimits(100, 20, 200, 65536))
        .hasMessage("maxMessageBytes must be between 1024 and 1073741824, found 100");
    assertThatThrownBy(() -> new InboundLimits(1L << 31, 20, 200, 65536))
        .hasMessage("maxMessageBytes must be between 1024 and 1073741824, found 2147483648");
    assertThatThrownBy(() -> new InboundLimits(4096, 0, 200, 65536))
        .hasMessage("maxDepth must be at least 1, found 0");
    assertThatThrownBy(() -> new InboundLimits(4096, 20, 0, 65536))
        .hasMessage("maxParts must be at least 1, found 0");
    assertThatThrownBy(() -> new InboundLimits(4096, 20, 200, 10))
        .hasMessage("maxTextBytes must be at least 256, found 10");
  }

  @Test
  void aParserWithSmallerLimitsAppliesThem() {
    InboundParser small =
        new InboundParser(
            new InboundLimits(2048, 2, 5, 256), Mails.REPLY_TEMPLATE, Mails.BOUNCE_TEMPLATE, null);
    Inbound r = small.parse(Mails.fixture("postfix-dsn-failed.eml"));
    assertThat(((Inbound.Rejected) r).reason()).isEqualTo(Inbound.Reason.TOO_LARGE);
  }

  @Test
  void aParserRefusesATemplateWithoutToken() {
    assertThatThrownBy(
            () ->
                new InboundParser(
                    InboundLimits.defaults(), "alerts@plant.example", Mails.BOUNCE_TEMPLATE, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(AddressTemplate.RULE);
  }
}
