package dev.triage.provider;

/** The client disconnected while a response was being streamed to it. */
public final class ClientGoneException extends RuntimeException {
    public ClientGoneException(Throwable cause) {
        super("client disconnected", cause, false, false);
    }
}
