package io.alertbridge.smtp;

/**
 * Jakarta Mail 2.1 looks up its {@code StreamProvider} through {@code ServiceLoader} on every
 * header encode and body write, which scans every jar on the classpath each time; profiling showed
 * it taking close to a fifth of the delivery threads' CPU. Naming the provider in the system
 * property that {@code FactoryFinder} checks first turns that into a direct class load. A value the
 * operator set is left alone.
 */
public final class MailProviders {
  static final String STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";

  private MailProviders() {}

  public static void useDirectLookup() {
    if (System.getProperty(STREAM_PROVIDER) == null) {
      System.setProperty(STREAM_PROVIDER, "org.eclipse.angus.mail.util.MailStreamProvider");
    }
  }
}
