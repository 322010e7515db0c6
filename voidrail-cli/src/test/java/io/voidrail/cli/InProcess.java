package io.voidrail.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import picocli.CommandLine;

/** Runs the command in this JVM with its output captured: for what needs no separate process. */
final class InProcess {

    record Result(int exitCode, String out, String err) {
    }

    private InProcess() {
    }

    static Result voidrail(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = VoidRailCommand.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int exitCode = command.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }
}
