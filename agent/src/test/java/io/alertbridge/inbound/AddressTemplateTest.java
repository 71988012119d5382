package io.alertbridge.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressTemplateTest {
  private static final String TOKEN = "k7q2m4x5r6t2w3y4z5a6b7c2d3";
  private final AddressTemplate template =
      AddressTemplate.parse("alerts+{token}@alertbridge.plant.example");

  @Test
  void formatsTheTokenIntoTheLocalPart() {
    assertThat(template.format(TOKEN))
        .isEqualTo("alerts+k7q2m4x5r6t2w3y4z5a6b7c2d3@alertbridge.plant.example");
  }

  @Test
  void findsTheTokenOfAnAddressItFormatted() {
    assertThat(template.tokenOf(template.format(TOKEN))).contains(TOKEN);
  }

  @Test
  void matchesPrefixAndDomainCaseInsensitivelyAndLowercasesTheToken() {
    assertThat(template.tokenOf("ALERTS+K7Q2M4X5R6T2W3Y4Z5A6B7C2D3@AlertBridge.Plant.Example"))
        .contains(TOKEN);
  }

  @Test
  void keepsATemplateSuffixOutOfTheToken() {
    AddressTemplate suffixed = AddressTemplate.parse("ab-{token}-ack@plant.example");
    assertThat(suffixed.tokenOf("ab-" + TOKEN + "-ack@plant.example")).contains(TOKEN);
    assertThat(suffixed.tokenOf("ab-" + TOKEN + "@plant.example")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "alerts+k7q2m4x5r6t2w3y4z5a6b7c2d3@other.example",
        "bounces+k7q2m4x5r6t2w3y4z5a6b7c2d3@alertbridge.plant.example",
        "alerts+short2@alertbridge.plant.example",
        "alerts+k7q2m4x5r6t2w3y4z5a6b7c2d0@alertbridge.plant.example",
        "alerts+k7q2m4x5r6t2w3y4z5a6b7c2d3!@alertbridge.plant.example",
        "alerts+@alertbridge.plant.example",
        "alerts@alertbridge.plant.example",
        "no-at-sign"
      })
  void findsNoTokenInOtherAddressesOrMalformedTokens(String address) {
    assertThat(template.tokenOf(address)).isEmpty();
  }

  @Test
  void acceptsTokensOfSixteenToSixtyFourCharacters() {
    assertThat(template.tokenOf(template.format("a".repeat(16)))).isPresent();
    assertThat(template.tokenOf(template.format("a".repeat(64)))).isPresent();
    assertThat(template.tokenOf("alerts+" + "a".repeat(15) + "@alertbridge.plant.example"))
        .isEmpty();
    assertThat(template.tokenOf("alerts+" + "a".repeat(65) + "@alertbridge.plant.example"))
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "alerts@plant.example",
        "alerts+{token}{token}@plant.example",
        "alerts@{token}.plant.example",
        "{token}",
        "alerts+{token}@",
        "alerts+{token} @plant.example",
        "<alerts+{token}@plant.example>",
        "alerts+{tok}{token}@plant.example",
        ""
      })
  void refusesTemplatesWithoutExactlyOneTokenInTheLocalPart(String bad) {
    assertThatThrownBy(() -> AddressTemplate.parse(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(AddressTemplate.RULE);
  }

  @Test
  void refusesToFormatAMalformedToken() {
    assertThatThrownBy(() -> template.format("UPPER-and-short"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void redactsATokenToItsFirstFourCharacters() {
    assertThat(AddressTemplate.redact(TOKEN)).isEqualTo("k7q2…");
    assertThat(AddressTemplate.redact(null)).isEqualTo("null");
  }
}
