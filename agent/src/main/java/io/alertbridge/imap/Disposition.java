package io.alertbridge.imap;

/** Where a handled message goes: each disposition names the folder it is moved to. */
public enum Disposition {
  /** Read and acted on (or deliberately ignored, e.g. a duplicate). */
  PROCESSED("processed"),
  /** Refused: unreadable, too large, forged, automatic; kept for a person to look at. */
  REJECTED("rejected");

  /** The parent of the disposition folders, created on first connect if missing. */
  static final String PARENT = "alertbridge";

  private final String leaf;

  Disposition(String leaf) {
    this.leaf = leaf;
  }

  /** The folder's full name on a server whose hierarchy separator is {@code separator}. */
  public String folder(char separator) {
    return PARENT + separator + leaf;
  }
}
