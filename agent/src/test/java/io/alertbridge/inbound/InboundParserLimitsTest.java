package io.alertbridge.inbound;

import static io.alertbridge.inbound.Mails.REPLY_ADDRESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alertbridge.inbound.Inbound.Reason;
import io.alertbridge.inbound.Inbound.Rejected;
import jakarta.mail.FolderClosedException;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The bounds of {@link InboundLimits}: a stranger's message costs little, whatever its shape. */
class InboundParserLimitsTest {
  private static final long FIFTY_MB = 50L * 1024 * 1024;
  private static final String HEADERS =
      "From: third.officer@plant.example\nTo: " + REPLY_ADDRESS + "\nMessage-ID: <big@x>\n";

  /** A 50 MB message with a base64 attachment, generated as it is read and never held whole. */
  private static final class FiftyMegabytes extends InputStream {
    private final byte[] head =
        (HEADERS
                + "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\n"
                + "ack\n--b\nContent-Type: application/octet-stream\n"
                + "Content-Transfer-Encoding: base64\n\n")
            .getBytes(StandardCharsets.US_ASCII);
    private final byte[] line =
        "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkwMTIzNDU2Nzg5MDEy\n"
            .getBytes(StandardCharsets.US_ASCII);
    long read;

    @Override
    public int read() {
      if (read >= FIFTY_MB) {
        return -1;
      }
      long at = read++;
      return at < head.length ? head[(int) at] : line[(int) ((at - head.length) % line.length)];
    }
  }

  @Test
  void rejectsA50MegabyteStreamAfterReadingNoMoreThanTheLimit() throws Exception {
    FiftyMegabytes stream = new FiftyMegabytes();
    Rejected r = (Rejected) Mails.parser().parse(stream);
    assertThat(r.reason()).isEqualTo(Reason.TOO_LARGE);
    assertThat(r.detail()).isEqualTo("message of more than 10485760 bytes; the limit is 10485760");
    assertThat(stream.read).isEqualTo(InboundLimits.defaults().maxMessageBytes() + 1);
  }

  @Test
  void rejectsAMessageByItsReportedSizeBeforeReadingAnyPart() throws Exception {
    // An IMAPMessage reports RFC822.SIZE; nothing of its body may be fetched.
    MimeMessage imapLike =
        new MimeMessage(Mails.SESSION) {
          @Override
          public int getSize() {
            return (int) FIFTY_MB;
          }

          @Override
          public Object getContent() {
            throw new AssertionError("the content of a too large message was read");
          }
        };
    imapLike.setFrom("third.officer@plant.example");
    Rejected r = (Rejected) Mails.parser().parse(imapLike);
    assertThat(r.reason()).isEqualTo(Reason.TOO_LARGE);
    assertThat(r.detail()).isEqualTo("message of 52428800 bytes; the limit is 10485760");
  }

  private static String nested(int depth) {
    StringBuilder b = new StringBuilder(HEADERS);
    b.append("Content-Type: multipart/mixed; boundary=b0\n\n");
    for (int i = 1; i <= depth; i++) {
      b.append("--b").append(i - 1).append('\n');
      b.append("Content-Type: multipart/mixed; boundary=b").append(i).append("\n\n");
    }
    b.append("--b").append(depth).append("\nContent-Type: text/plain\n\nack\n");
    for (int i = depth; i >= 0; i--) {
      b.append("--b").append(i).append("--\n");
    }
    return b.toString();
  }

  @Test
  void rejects1000NestedMultipartsGivenAsBytes() {
    Rejected r = (Rejected) Mails.parseRaw(nested(1000));
    assertThat(r.reason()).isEqualTo(Reason.TOO_DEEP);
    assertThat(r.detail()).isEqualTo("more than 200 MIME parts");
  }

  @Test
  void rejects1000NestedMultipartsGivenAsAParsedMessageWithoutDeepRecursion() throws Exception {
    MimeMessage m =
        new MimeMessage(
            Mails.SESSION,
            new ByteArrayInputStream(nested(1000).getBytes(StandardCharsets.US_ASCII)));
    Rejected r = (Rejected) Mails.parser().parse(m);
    assertThat(r.reason()).isEqualTo(Reason.TOO_DEEP);
    assertThat(r.detail()).isEqualTo("multiparts nested deeper than 20");
  }

  @Test
  void rejects1000NestedMultipartsBuiltInCode() throws Exception {
    MimeBodyPart inner = new MimeBodyPart();
    inner.setText("ack");
    MimeMultipart mp = new MimeMultipart(inner);
    for (int i = 0; i < 1000; i++) {
      MimeBodyPart wrapper = new MimeBodyPart();
      wrapper.setContent(mp);
      wrapper.setHeader("Content-Type", mp.getContentType());
      mp = new MimeMultipart(wrapper);
    }
    MimeMessage m = Mails.reply("x");
    m.setContent(mp);
    m.setHeader("Content-Type", mp.getContentType());
    assertThat(((Rejected) Mails.parser().parse(m)).reason()).isEqualTo(Reason.TOO_DEEP);
  }

  @Test
  void acceptsNestingUpToTheLimit() {
    assertThat(Mails.parseRaw(nested(19))).isInstanceOf(Inbound.Reply.class);
  }

  @Test
  void rejectsTooManyPartsAtOneLevel() throws Exception {
    StringBuilder b = new StringBuilder(HEADERS);
    b.append("Content-Type: multipart/mixed; boundary=p\n\n");
    for (int i = 0; i < 300; i++) {
      b.append("--p\nContent-Type: text/plain\n\nack\n");
    }
    b.append("--p--\n");
    byte[] raw = b.toString().getBytes(StandardCharsets.US_ASCII);
    assertThat(((Rejected) Mails.parser().parse(raw)).detail())
        .isEqualTo("more than 200 MIME parts");
    MimeMessage parsed = new MimeMessage(Mails.SESSION, new ByteArrayInputStream(raw));
    assertThat(((Rejected) Mails.parser().parse(parsed)).detail())
        .isEqualTo("more than 200 MIME parts");
  }

  @Test
  void readsNoMoreThanTheTextLimitOfAHugeTextPart() throws Exception {
    Inbound.Reply reply =
        (Inbound.Reply) Mails.parser().parse(Mails.reply("ack\n" + "x".repeat(5_000_000)));
    assertThat(reply.command()).isEqualTo(new Command.Ack(Optional.empty()));
  }

  @Test
  void throwsMessageUnavailableWhenTheFolderClosesWhileReading() throws Exception {
    MimeMessage closing =
        new MimeMessage(Mails.SESSION) {
          @Override
          public Object getContent() throws MessagingException {
            throw new FolderClosedException(null, "connection dropped");
          }
        };
    closing.setHeader("Content-Type", "multipart/mixed; boundary=b");
    assertThatThrownBy(() -> Mails.parser().parse(closing))
        .isInstanceOf(MessageUnavailableException.class)
        .hasCauseInstanceOf(FolderClosedException.class);
  }
}
