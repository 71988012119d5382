package io.alertbridge.inbound;

import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Walks a message's MIME tree without recursion and finds the parts the parser reads: the first
 * inline text/plain and text/html, the delivery-status part of a report, and the returned
 * original's headers. Never descends into an attached message: a bounce's returned original is read
 * only for its headers, and a forwarded message is not the sender's text.
 */
final class MimeWalk {
  /** The parts found; any may be null. */
  record Found(
      Part plain,
      Part html,
      Part deliveryStatus,
      Part returnedMessage,
      Part returnedHeaders,
      int parts) {}

  private record Step(Part part, int depth) {}

  private MimeWalk() {}

  /**
   * @throws Refusal TOO_DEEP past the limits; counted as the walk goes, so a message of 1,000
   *     nested multiparts costs 21 levels of parsing, not 1,000
   */
  static Found walk(Part root, InboundLimits limits)
      throws MessagingException, IOException, Refusal {
    Part plain = null;
    Part html = null;
    Part status = null;
    Part message = null;
    Part headers = null;
    int count = 0;
    Deque<Step> todo = new ArrayDeque<>();
    todo.push(new Step(root, 0));
    while (!todo.isEmpty()) {
      Step step = todo.pop();
      if (++count > limits.maxParts()) {
        throw new Refusal(
            Inbound.Reason.TOO_DEEP, "more than " + limits.maxParts() + " MIME parts");
      }
      if (step.depth() > limits.maxDepth()) {
        throw new Refusal(
            Inbound.Reason.TOO_DEEP, "multiparts nested deeper than " + limits.maxDepth());
      }
      Part part = step.part();
      String type = PartReader.baseType(part);
      if (type.startsWith("multipart/")) {
        Object content = part.getContent();
        if (!(content instanceof Multipart mp)) {
          throw new MessagingException(type + " part without a readable multipart body");
        }
        // Push in reverse so that the parts are visited in document order.
        for (int k = mp.getCount() - 1; k >= 0; k--) {
          todo.push(new Step(mp.getBodyPart(k), step.depth() + 1));
        }
        if (todo.size() > limits.maxParts()) {
          throw new Refusal(
              Inbound.Reason.TOO_DEEP, "more than " + limits.maxParts() + " MIME parts");
        }
        continue;
      }
      switch (type) {
        case "message/delivery-status", "message/global-delivery-status" -> {
          status = status == null ? part : status;
        }
        case "message/rfc822", "message/global" -> {
          message = message == null ? part : message;
        }
        case "text/rfc822-headers", "message/global-headers" -> {
          headers = headers == null ? part : headers;
        }
        case "text/plain" -> {
          if (plain == null && !PartReader.isAttachment(part)) {
            plain = part;
          }
        }
        case "text/html" -> {
          if (html == null && !PartReader.isAttachment(part)) {
            html = part;
          }
        }
        default -> {
          // Attachments and other types are counted, never read.
        }
      }
    }
    return new Found(plain, html, status, message, headers, count);
  }
}
