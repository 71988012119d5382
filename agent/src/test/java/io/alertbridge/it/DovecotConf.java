package io.alertbridge.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;

/** The dovecot.conf of a {@link DovecotInstance}. */
final class DovecotConf {
  private DovecotConf() {}

  /**
   * Whom Dovecot's processes and mail run as. As root, Debian's dovecot and dovenull users and, for
   * the mail, nobody: Dovecot refuses mail access as UID 0. As anyone else, that user for all.
   */
  record Identity(String internalUser, String loginUser, int mailUid, int mailGid) {
    static Identity of(Path probe) throws IOException {
      int uid = (Integer) Files.getAttribute(probe, "unix:uid");
      int gid = (Integer) Files.getAttribute(probe, "unix:gid");
      if (uid != 0) {
        String me = System.getProperty("user.name");
        return new Identity(me, me, uid, gid);
      }
      return new Identity("dovecot", "dovenull", 65534, 65534);
    }

    void own(Path dir) throws IOException {
      UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
      PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
      if (mailUid == 65534) {
        view.setOwner(users.lookupPrincipalByName("nobody"));
        GroupPrincipal group = users.lookupPrincipalByGroupName("nogroup");
        view.setGroup(group);
      }
    }
  }

  static String render(
      Path base, Identity who, int imapPort, int imapsPort, int lmtpPort, boolean tls) {
    return """
        protocols = imap lmtp
        listen = 127.0.0.1
        base_dir = %1$s/run
        state_dir = %1$s/state
        log_path = %1$s/log/dovecot.log
        info_log_path = %1$s/log/dovecot.log
        default_internal_user = %2$s
        default_internal_group = %2$s
        default_login_user = %3$s
        disable_plaintext_auth = no
        auth_mechanisms = plain login
        mail_location = maildir:%1$s/mail/%%n
        recipient_delimiter = +
        first_valid_uid = 1
        namespace inbox {
          inbox = yes
          separator = /
        }
        passdb {
          driver = passwd-file
          args = scheme=PLAIN username_format=%%n %1$s/etc/users
        }
        userdb {
          driver = static
          args = uid=%4$d gid=%5$d home=%1$s/home/%%n
        }
        service imap-login {
          inet_listener imap {
            address = 127.0.0.1
            port = %6$d
          }
          inet_listener imaps {
            address = 127.0.0.1
            port = %7$d
          }
        }
        service lmtp {
          inet_listener lmtp {
            address = 127.0.0.1
            port = %8$d
          }
        }
        %9$s
        """
        .formatted(
            base,
            who.internalUser(),
            who.loginUser(),
            who.mailUid(),
            who.mailGid(),
            imapPort,
            imapsPort,
            lmtpPort,
            tls
                ? "ssl = yes\nssl_cert = <"
                    + base
                    + "/etc/server.pem\nssl_key = <"
                    + base
                    + "/etc/server.key\n"
                : "ssl = no\n");
  }
}
