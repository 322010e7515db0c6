package io.voidrail.it;

import java.util.List;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** Collects what VoidRail logs (INFO and up) while open; the lines as their formatted messages. */
public final class LogCapture implements AutoCloseable {

    private final Logger logger = (Logger) LoggerFactory.getLogger("io.voidrail");
    private final Level level = logger.getLevel();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public LogCapture() {
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.INFO);
    }

    /** Every message so far (a copy: the appender keeps collecting). */
    public List<String> messages() {
        synchronized (appender) { // AppenderBase.doAppend holds the same lock
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    /** All messages as one text, one per line. */
    public String text() {
        return String.join("\n", messages());
    }

    public boolean contains(String part) {
        return messages().stream().anyMatch(message -> message.contains(part));
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(level);
        appender.stop();
    }
}
