package io.alertbridge.cli;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP runs a reload, as it does for Alertmanager, nginx and most daemons. Without a handler the
 * JVM treats SIGHUP as a request to exit, so the handler is installed before anything that takes
 * time.
 *
 * <p>Java has no public API for signals; {@code sun.misc.Signal} (module jdk.unsupported, kept for
 * exactly this use) is reached by reflection because javac reports every use of it as a warning,
 * which this build turns into an error.
 */
final class HangupSignal {
  private static final Logger log = LoggerFactory.getLogger(HangupSignal.class);

  private HangupSignal() {}

  /**
   * Runs {@code onHangup} on a thread of its own for each SIGHUP, one after another: the signal
   * dispatcher only queues the work, since a reload reads files and may wait for another reload.
   *
   * @return whether the handler is installed; false on a platform without SIGHUP (logged)
   */
  static boolean install(Runnable onHangup) {
    ExecutorService reloads =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "alertbridge-reload");
              t.setDaemon(true);
              return t;
            });
    InvocationHandler handler =
        (proxy, method, args) ->
            switch (method.getName()) {
              case "handle" -> {
                reloads.execute(onHangup);
                yield null;
              }
              case "hashCode" -> System.identityHashCode(proxy);
              case "equals" -> proxy == args[0];
              default -> "alertbridge SIGHUP handler";
            };
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      Object hup = signal.getConstructor(String.class).newInstance("HUP");
      Object proxy =
          Proxy.newProxyInstance(
              handlerType.getClassLoader(), new Class<?>[] {handlerType}, handler);
      signal.getMethod("handle", signal, handlerType).invoke(null, hup, proxy);
      return true;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // Windows has no SIGHUP; a JVM started with -Xrs keeps it. POST /-/reload still works.
      log.warn(
          "SIGHUP cannot trigger a reload here ({}); use POST /-/reload instead",
          String.valueOf(e.getCause() == null ? e : e.getCause()));
      reloads.shutdown();
      return false;
    }
  }
}
