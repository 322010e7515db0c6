package io.voidrail.cli;

/**
 * A failure the command reports as one line on stderr, with its exit code: {@link #USAGE} for a command
 * line that cannot work (bad class, bad path), {@link #FAILED} for a call or connection that failed.
 */
final class CliException extends RuntimeException {

    static final int FAILED = 1;
    static final int USAGE = 2;

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    static CliException usage(String message) {
        return new CliException(USAGE, message);
    }

    static CliException failed(String message) {
        return new CliException(FAILED, message);
    }

    int exitCode() {
        return exitCode;
    }
}
