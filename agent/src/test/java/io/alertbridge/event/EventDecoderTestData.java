package io.alertbridge.event;

/** Sample events shared by tests in other packages. */
public final class EventDecoderTestData {
  private EventDecoderTestData() {}

  public static final String OVERTEMP = EventDecoderTest.OVERTEMP;
}
