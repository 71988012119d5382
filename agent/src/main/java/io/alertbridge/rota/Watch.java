package io.alertbridge.rota;

import java.time.Instant;
import java.util.List;

/**
 * Who is on watch, from when until when. Outside {@code [from, until)} someone else may be, or an
 * override may change the crew: the interval is the run of time in which the answer stays the same.
 *
 * @param members the addresses on watch, in the rota's order, an override's {@code with} in place
 *     of the member it replaces
 */
public record Watch(List<String> members, Instant from, Instant until) {
  public Watch {
    members = List.copyOf(members);
  }
}
