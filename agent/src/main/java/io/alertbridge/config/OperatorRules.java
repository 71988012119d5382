package io.alertbridge.config;

import io.alertbridge.silence.Matcher;
import io.alertbridge.silence.MatcherException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

/** The rules of what operators steer (issue 17): inhibition, flap detection and HTTP auth. */
final class OperatorRules {
  /** Rules beyond this many are a mistake, and each costs every alert a look. */
  static final int MAX_INHIBIT_RULES = 100;

  private final ConfigValidator v;

  OperatorRules(ConfigValidator v) {
    this.v = v;
  }

  void inhibit(List<InhibitSettings> rules) {
    if (rules.size() > MAX_INHIBIT_RULES) {
      v.problem("inhibit", rules.size() + " rules", "must have at most " + MAX_INHIBIT_RULES);
    }
    for (int i = 0; i < rules.size(); i++) {
      String path = "inhibit[" + i + "]";
      InhibitSettings r = rules.get(i);
      if (r == null) {
        v.problem(path, null, "must be a mapping with source, target and equal");
        continue;
      }
      matchers(path + ".source", r.source());
      matchers(path + ".target", r.target());
      for (int j = 0; j < r.equal().size(); j++) {
        String name = r.equal().get(j);
        if (name == null || !Matcher.validName(name)) {
          v.problem(
              path + ".equal[" + j + "]",
              ConfigValidator.quote(name),
              "must be source, type, severity or labels.NAME");
        }
      }
    }
  }

  /** At least one matcher, each valid; together they must not match every alert. */
  private void matchers(String path, List<String> texts) {
    if (texts.isEmpty()) {
      v.problem(path, "[]", "must have at least one matcher, e.g. labels.alarm=plc-comms-lost");
      return;
    }
    boolean narrows = false;
    for (int j = 0; j < texts.size(); j++) {
      try {
        narrows |= !Matcher.parse(texts.get(j)).matchesEmpty();
      } catch (MatcherException e) {
        v.problem(path + "[" + j + "]", ConfigValidator.quote(texts.get(j)), e.getMessage());
        narrows = true;
      }
    }
    if (!narrows) {
      v.problem(
          path,
          texts.toString(),
          "must have a matcher that an alert without the field fails, or it matches every alert");
    }
  }

  void flapDetection(String path, FlapSettings f) {
    if (f == null) {
      return;
    }
    if (f.transitions() < 2 || f.transitions() > 100) {
      v.problem(path + ".transitions", f.transitions().toString(), "must be between 2 and 100");
    }
    v.positive(path + ".window", f.window());
    v.positive(path + ".quiet", f.quiet());
  }

  /** The token file must exist and be private: anyone who reads it can write silences. */
  void auth(HttpAuthSettings auth) {
    if (auth == null || ConfigValidator.blank(auth.tokensFile())) {
      return;
    }
    Path file = Path.of(auth.tokensFile());
    if (!Files.isReadable(file)) {
      v.problem(
          "http.auth.tokens-file",
          ConfigValidator.quote(auth.tokensFile()),
          "must be a readable file");
      return;
    }
    try {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
      if (p.contains(PosixFilePermission.OTHERS_READ)) {
        v.problem(
            "http.auth.tokens-file",
            ConfigValidator.quote(auth.tokensFile()),
            "must not be readable by others (chmod o-r, e.g. 0600 or 0640): it holds tokens");
      }
    } catch (UnsupportedOperationException | IOException ignored) {
      // Not a POSIX file system: nothing to check, and nothing the operator could fix here.
    }
  }
}
