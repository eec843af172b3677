package io.chorus;

/**
 * An error the user can fix. {@link Chorus} prints its message (which names the file, column or
 * flag, and the fix) without a stack trace unless {@code --verbose} is given.
 */
public class ChorusException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ChorusException(String message) {
    super(message);
  }

  public ChorusException(String message, Throwable cause) {
    super(message, cause);
  }
}
