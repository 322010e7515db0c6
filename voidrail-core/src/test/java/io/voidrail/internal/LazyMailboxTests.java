package io.voidrail.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import zmq.Command;
import zmq.Ctx;
import zmq.ZError;

/** The mailbox on its own: commands, the wake-up bytes they cost, blocking waits and interrupts. */
class LazyMailboxTests {

    private Ctx ctx;
    private Pipe pipe;
    private Selector own;
    private Selector watcher;
    private final ConcurrentLinkedDeque<Command> queue = new ConcurrentLinkedDeque<>();
    private LazyMailbox mailbox;
    /** Commands the reader of a race took. */
    private final AtomicInteger received = new AtomicInteger();

    @BeforeEach
    void open() throws IOException {
        ctx = new Ctx();
        pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        pipe.sink().configureBlocking(false);
        own = Selector.open();
        pipe.source().register(own, SelectionKey.OP_READ);
        watcher = Selector.open(); // what a loop sleeping on the descriptor sees
        pipe.source().register(watcher, SelectionKey.OP_READ);
        zmq.Mailbox replaced = new zmq.Mailbox(ctx, "replaced", 0);
        mailbox = new LazyMailbox(ctx, "test", 0, replaced, queue, pipe.source(), pipe.sink(),
                own);
    }

    @AfterEach
    void close() throws IOException {
        mailbox.close();
        pipe.source().close();
        pipe.sink().close();
        own.close();
        watcher.close();
        ctx.terminate();
    }

    @Test
    void onlyTheFirstCommandAfterTheReaderFoundTheQueueEmptyWritesAWakeUpByte() throws Exception {
        // a new mailbox counts as asleep: its first command must wake the reader
        Command first = command();
        mailbox.send(first);
        assertThat(readable()).isTrue();
        mailbox.send(command());
        mailbox.send(command());
        assertThat(bytesInPipe()).isEqualTo(1);

        assertThat(mailbox.recv(0)).isSameAs(first);
        assertThat(mailbox.recv(0)).isNotNull();
        assertThat(mailbox.recv(0)).isNotNull();
        assertThat(readable()).isTrue(); // the byte is taken when the queue is found empty, not before
        assertThat(mailbox.recv(0)).isNull();
        assertThat(ctx.errno().get()).isEqualTo(ZError.EAGAIN);
        assertThat(readable()).isFalse();

        // found empty: asleep again, so the next command writes one byte, the ones after it none
        mailbox.send(command());
        mailbox.send(command());
        assertThat(readable()).isTrue();
        assertThat(mailbox.recv(0)).isNotNull();
        assertThat(mailbox.recv(0)).isNotNull();
        assertThat(mailbox.recv(0)).isNull();
        assertThat(readable()).isFalse();
    }

    @Test
    void aLoopServingTheSocketIsAsleepOnlyWhenItSaysSoAndAsleepAgainWhenItStops() throws Exception {
        mailbox.servedByLoop(true);
        mailbox.send(command()); // asleep since it was made
        assertThat(mailbox.recv(0)).isNotNull();
        assertThat(mailbox.recv(0)).isNull();
        assertThat(readable()).isFalse();

        // the loop looks at every socket after every message: that is not sleep, its commands cost no byte
        mailbox.send(command());
        assertThat(readable()).isFalse();
        assertThat(mailbox.recv(0)).isNotNull();
        assertThat(mailbox.recv(0)).isNull();

        mailbox.resting(true);
        mailbox.send(command());
        assertThat(readable()).isTrue();
        assertThat(mailbox.recv(0)).isNotNull();
        assertThat(mailbox.recv(0)).isNull();
        assertThat(readable()).isFalse();
        mailbox.resting(false);

        // the loop left (the socket is being closed): the reaper, which reads next, must be woken
        mailbox.servedByLoop(false);
        mailbox.send(command());
        assertThat(readable()).isTrue();
    }

    @Test
    void aCommandSentAfterTheLoopsLastLookTookAnotherStillWakesTheLoop() throws Exception {
        // the lost wake-up CI met (a register with no answer for 3 s): a command woke the resting loop, its last
        // look took that command and its byte, and the next command, sent before the loop slept, wrote none
        mailbox.servedByLoop(true);
        mailbox.resting(true);
        mailbox.send(command());
        assertThat(mailbox.recv(0)).isNotNull();
        assertThat(mailbox.recv(0)).isNull();
        assertThat(readable()).isFalse();
        mailbox.send(command());
        assertThat(readable()).as("a command waiting for a loop about to sleep").isTrue();
    }

    @Test
    void commandsABusyLoopLeftBehindWakeTheNextReader() throws Exception {
        mailbox.servedByLoop(true);
        mailbox.send(command());
        assertThat(mailbox.recv(0)).isNotNull();
        assertThat(mailbox.recv(0)).isNull();
        mailbox.send(command()); // the loop is busy: no byte
        assertThat(readable()).isFalse();
        mailbox.servedByLoop(false);
        assertThat(readable()).isTrue();
        assertThat(mailbox.recv(0)).isNotNull();
        assertThat(mailbox.recv(0)).isNull();
        assertThat(readable()).isFalse();
    }

    @Test
    void aReaderThatTookEveryCommandLooksAtTheQueueWithoutASystemCall() throws Exception {
        mailbox.send(command());
        assertThat(mailbox.recv(0)).isNotNull();
        assertThat(mailbox.recv(0)).isNull();
        // nothing owed: were the pipe read now, this stray byte would be taken
        pipe.sink().write(ByteBuffer.wrap(new byte[] { 1 }));
        assertThat(mailbox.recv(0)).isNull();
        assertThat(mailbox.recv(0)).isNull();
        assertThat(readable()).isTrue();
    }

    @Test
    @Timeout(10)
    void aBlockingReceiveWaitsForACommandFromAnotherThreadOrForItsTimeout() throws Exception {
        Command command = command();
        Thread sender = new Thread(() -> {
            sleepQuietly(50);
            mailbox.send(command);
        });
        sender.start();
        assertThat(mailbox.recv(5_000)).isSameAs(command);
        sender.join();

        long start = System.nanoTime();
        assertThat(mailbox.recv(30)).isNull();
        assertThat(ctx.errno().get()).isEqualTo(ZError.EAGAIN);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(29));
    }

    @Test
    @Timeout(10)
    void anInterruptEndsABlockingReceiveAndNeverClosesThePipe() throws Exception {
        AtomicReference<Command> received = new AtomicReference<>(command());
        AtomicInteger errno = new AtomicInteger();
        Thread reader = new Thread(() -> {
            received.set(mailbox.recv(-1));
            errno.set(ctx.errno().get());
        });
        reader.start();
        reader.interrupt();
        reader.join(5_000);
        assertThat(reader.isAlive()).isFalse();
        assertThat(received.get()).isNull();
        assertThat(errno.get()).isEqualTo(ZError.EINTR);

        // a sender with its interrupt flag set (a cancelled call's thread): the byte is written, the flag kept
        mailbox.recv(0);
        Thread.currentThread().interrupt();
        try {
            mailbox.send(command());
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        }
        finally {
            Thread.interrupted();
        }
        assertThat(pipe.sink().isOpen()).isTrue();
        assertThat(pipe.source().isOpen()).isTrue();
        assertThat(readable()).isTrue();
        assertThat(mailbox.recv(0)).isNotNull();
    }

    @Test
    @Timeout(60)
    void noCommandIsLostNorAnyWakeUpWhileSendersRaceASleepingReader() throws Exception {
        // the reader sleeps on the descriptor whenever it finds the queue empty, as every JeroMQ reader does
        race(() -> {
            if (!take()) {
                sleepOnDescriptor();
            }
        });
    }

    @Test
    @Timeout(60)
    void noCommandIsLostNorAnyWakeUpWhileSendersRaceASleepingLoop() throws Exception {
        // as PollLoop: takes everything, says it rests, looks once more, and sleeps, as it does when the commands of
        // that last look gave it nothing to do (a pipe's activate_write, a bind)
        mailbox.servedByLoop(true);
        race(() -> {
            int taken = takeAll();
            mailbox.resting(true);
            takeAll();
            if (taken == 0) {
                sleepOnDescriptor();
            }
            mailbox.resting(false);
        });
    }

    private int takeAll() {
        int taken = 0;
        while (take()) {
            taken++;
        }
        return taken;
    }

    /**
     * One look at the queue. What it takes counts at once, as a loop handles a command when it takes it: the senders
     * hold back until the reader has taken their commands, so counting them only after a sleep would keep both waiting.
     */
    private boolean take() {
        if (mailbox.recv(0) == null) {
            return false;
        }
        received.incrementAndGet();
        return true;
    }

    /** Waits for the descriptor; a timeout with commands queued is a lost wake-up. */
    private void sleepOnDescriptor() throws IOException {
        int ready = watcher.select(2_000);
        watcher.selectedKeys().clear();
        if (ready == 0) {
            assertThat(queue).as("commands waiting with no byte to wake their reader: a lost wake-up").isEmpty();
        }
    }

    private interface Reader {
        /** Reads for a while, sleeping when it finds nothing; counts what it takes in {@code received}. */
        void read() throws IOException;
    }

    private void race(Reader reader) throws Exception {
        int senders = 4;
        int total = 40_000;
        AtomicInteger sent = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            Thread thread = new Thread(() -> {
                // a few commands in flight at most, so that the reader often sleeps when one arrives
                while (sent.get() < total) {
                    if (sent.get() - received.get() >= senders || sent.incrementAndGet() > total) {
                        Thread.onSpinWait();
                        continue;
                    }
                    mailbox.send(commandQuietly());
                }
            });
            thread.setDaemon(true); // a reader that failed leaves them spinning: they must not keep the JVM
            threads.add(thread);
            thread.start();
        }
        while (received.get() < total) {
            reader.read();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(mailbox.recv(0)).isNull();
        assertThat(readable()).isFalse();
    }

    private boolean readable() throws IOException {
        int ready = watcher.selectNow();
        watcher.selectedKeys().clear();
        return ready > 0;
    }

    /** Reads every byte in the pipe, then puts them back. */
    private int bytesInPipe() throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64);
        int read = pipe.source().read(buffer);
        buffer.flip();
        pipe.sink().write(buffer);
        return read;
    }

    private static Command command() throws ReflectiveOperationException {
        Constructor<Command> constructor = Command.class.getDeclaredConstructor(zmq.ZObject.class, Command.Type.class);
        constructor.setAccessible(true);
        return constructor.newInstance(null, Command.Type.STOP);
    }

    private static Command commandQuietly() {
        try {
            return command();
        }
        catch (ReflectiveOperationException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
