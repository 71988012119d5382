package io.alertbridge.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * Each second's latency percentiles and mail count, as CSV and as a PNG plot drawn with the JDK's
 * own Java 2D (headless), so that the benchmarks need no plotting tool.
 */
final class LatencyPlot {
  private LatencyPlot() {}

  /** One second of the run: mails that arrived in it and their latencies. */
  record Second(int second, int mails, double p50Ms, double p99Ms, double maxMs) {}

  static double percentileMs(List<Long> sortedNanos, double p) {
    int i = (int) Math.ceil(p / 100.0 * sortedNanos.size()) - 1;
    return sortedNanos.get(Math.max(0, Math.min(i, sortedNanos.size() - 1))) / 1e6;
  }

  static List<Second> perSecond(List<SteadyBenchmark.Sample> samples) {
    TreeMap<Integer, List<Long>> bySecond = new TreeMap<>();
    for (SteadyBenchmark.Sample s : samples) {
      int second = (int) TimeUnit.NANOSECONDS.toSeconds(s.arrivedNanos());
      bySecond.computeIfAbsent(second, k -> new ArrayList<>()).add(s.latencyNanos());
    }
    List<Second> out = new ArrayList<>();
    if (bySecond.isEmpty()) {
      return out;
    }
    for (int second = 0; second <= bySecond.lastKey(); second++) {
      List<Long> lat = bySecond.getOrDefault(second, List.of());
      if (lat.isEmpty()) {
        out.add(new Second(second, 0, Double.NaN, Double.NaN, Double.NaN));
        continue;
      }
      Collections.sort(lat);
      out.add(
          new Second(
              second,
              lat.size(),
              percentileMs(lat, 50),
              percentileMs(lat, 99),
              lat.get(lat.size() - 1) / 1e6));
    }
    return out;
  }

  static void writeCsv(List<Second> seconds, Path file) throws IOException {
    StringBuilder b = new StringBuilder("second,mails,p50_ms,p99_ms,max_ms\n");
    for (Second s : seconds) {
      b.append(
          String.format(
              Locale.ROOT,
              "%d,%d,%.2f,%.2f,%.2f%n",
              s.second(),
              s.mails(),
              s.p50Ms(),
              s.p99Ms(),
              s.maxMs()));
    }
    Files.writeString(file, b);
  }

  private static final int W = 1100;
  private static final int H = 620;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 50;
  private static final int LAT_BOTTOM = 380;
  private static final int RATE_TOP = 420;
  private static final int RATE_BOTTOM = 570;
  private static final double MIN_MS = 0.5;
  private static final double MAX_MS = 20_000;

  /**
   * Two panels over the same time axis: latency percentiles per second on a log scale (p50, p99,
   * max), and mails per second; the phases are shaded and named.
   */
  static void render(
      List<Second> seconds, List<SteadyBenchmark.Phase> phases, String title, Path png)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    int totalSeconds = 0;
    for (SteadyBenchmark.Phase p : phases) {
      totalSeconds += p.seconds();
    }
    totalSeconds = Math.max(totalSeconds, seconds.size());
    double xScale = (double) (W - LEFT - RIGHT) / totalSeconds;
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.setColor(Color.BLACK);
    g.drawString(title, LEFT, 25);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));

    // Phases, shaded alternately, across both panels.
    int at = 0;
    int maxRate = 0;
    for (int i = 0; i < phases.size(); i++) {
      SteadyBenchmark.Phase p = phases.get(i);
      int x0 = LEFT + (int) (at * xScale);
      int x1 = LEFT + (int) ((at + p.seconds()) * xScale);
      g.setColor(i % 2 == 0 ? new Color(245, 245, 250) : new Color(232, 236, 245));
      g.fillRect(x0, TOP, x1 - x0, LAT_BOTTOM - TOP);
      g.fillRect(x0, RATE_TOP, x1 - x0, RATE_BOTTOM - RATE_TOP);
      g.setColor(Color.DARK_GRAY);
      g.drawString(p.name() + " (" + p.rate() + " ev/s)", x0 + 4, TOP + 14);
      at += p.seconds();
      maxRate = Math.max(maxRate, p.rate());
    }

    // Latency axis: log scale with decades.
    g.setColor(Color.GRAY);
    for (double ms = 1; ms <= MAX_MS; ms *= 10) {
      int y = latY(ms);
      g.setColor(new Color(200, 200, 200));
      g.drawLine(LEFT, y, W - RIGHT, y);
      g.setColor(Color.DARK_GRAY);
      String label = ms >= 1000 ? (int) (ms / 1000) + " s" : (int) ms + " ms";
      g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), y + 4);
    }
    g.setColor(new Color(220, 60, 60));
    g.drawLine(LEFT, latY(25), W - RIGHT, latY(25));
    g.drawString("25 ms goal for p99", W - RIGHT - 130, latY(25) - 4);
    line(g, seconds, xScale, Second::maxMs, new Color(150, 150, 150), 1f);
    line(g, seconds, xScale, Second::p99Ms, new Color(230, 120, 20), 2f);
    line(g, seconds, xScale, Second::p50Ms, new Color(30, 90, 200), 2f);
    legend(g, LEFT + 10, LAT_BOTTOM - 50);

    // Mails per second, against the produce rate.
    double rateMax = maxRate * 1.6;
    g.setColor(Color.DARK_GRAY);
    g.drawString("mails/s", 8, RATE_TOP - 6);
    for (int r = 0; r <= rateMax; r += 500) {
      int y = RATE_BOTTOM - (int) (r / rateMax * (RATE_BOTTOM - RATE_TOP));
      g.setColor(new Color(200, 200, 200));
      g.drawLine(LEFT, y, W - RIGHT, y);
      g.setColor(Color.DARK_GRAY);
      String label = Integer.toString(r);
      g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), y + 4);
    }
    g.setColor(new Color(60, 150, 90));
    for (Second s : seconds) {
      int h = (int) (Math.min(s.mails(), rateMax) / rateMax * (RATE_BOTTOM - RATE_TOP));
      int x = LEFT + (int) (s.second() * xScale);
      g.fillRect(x + 1, RATE_BOTTOM - h, Math.max(1, (int) xScale - 2), h);
    }
    g.setColor(Color.BLACK);
    g.drawRect(LEFT, TOP, W - LEFT - RIGHT, LAT_BOTTOM - TOP);
    g.drawRect(LEFT, RATE_TOP, W - LEFT - RIGHT, RATE_BOTTOM - RATE_TOP);
    for (int s = 0; s <= totalSeconds; s += 10) {
      int x = LEFT + (int) (s * xScale);
      g.drawLine(x, RATE_BOTTOM, x, RATE_BOTTOM + 4);
      g.drawString(Integer.toString(s), x - 6, RATE_BOTTOM + 18);
    }
    g.drawString("seconds since the daemon's process start", W / 2 - 110, RATE_BOTTOM + 40);
    g.drawString("latency", 8, TOP - 6);
    g.dispose();
    Files.createDirectories(png.toAbsolutePath().getParent());
    ImageIO.write(img, "png", png.toFile());
  }

  private static int latY(double ms) {
    double clamped = Math.max(MIN_MS, Math.min(MAX_MS, ms));
    double f =
        (Math.log10(clamped) - Math.log10(MIN_MS)) / (Math.log10(MAX_MS) - Math.log10(MIN_MS));
    return LAT_BOTTOM - (int) (f * (LAT_BOTTOM - TOP - 20));
  }

  private static void line(
      Graphics2D g,
      List<Second> seconds,
      double xScale,
      java.util.function.ToDoubleFunction<Second> value,
      Color color,
      float width) {
    g.setColor(color);
    g.setStroke(new BasicStroke(width));
    int px = -1;
    int py = -1;
    for (Second s : seconds) {
      double v = value.applyAsDouble(s);
      if (Double.isNaN(v)) {
        px = -1;
        continue;
      }
      int x = LEFT + (int) ((s.second() + 0.5) * xScale);
      int y = latY(v);
      if (px >= 0) {
        g.drawLine(px, py, x, y);
      }
      px = x;
      py = y;
    }
    g.setStroke(new BasicStroke(1f));
  }

  private static void legend(Graphics2D g, int x, int y) {
    Object[][] items = {
      {"p50", new Color(30, 90, 200)},
      {"p99", new Color(230, 120, 20)},
      {"max", new Color(150, 150, 150)}
    };
    for (Object[] item : items) {
      g.setColor((Color) item[1]);
      g.fillRect(x, y, 18, 4);
      g.setColor(Color.BLACK);
      g.drawString((String) item[0], x + 24, y + 6);
      x += 70;
    }
  }
}
