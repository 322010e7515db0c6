package io.voidrail.dealer;

/**
 * How many more stream items a call may send: the credits its client granted (Java clients), or a local window that
 * refills as the I/O thread writes items to the socket (clients without flow control). A producer that runs out
 * waits here, on its worker thread, never on the I/O thread; closing the gate (the call ended or was cancelled)
 * releases it.
 */
final class StreamGate {

    private long available;
    private boolean closed;

    StreamGate(long initial) {
        this.available = initial;
    }

    synchronized void grant(long items) {
        if (items > 0) {
            available = available + items < 0 ? Long.MAX_VALUE : available + items;
            notifyAll();
        }
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }

    /**
     * Waits until at least one item may be sent, then takes up to {@code max}.
     *
     * @return how many items were taken; 0 when the gate is closed
     * @throws InterruptedException when the worker thread is interrupted (the call was cancelled)
     */
    synchronized long take(long max) throws InterruptedException {
        while (available == 0 && !closed) {
            wait();
        }
        if (closed) {
            return 0;
        }
        long taken = Math.min(available, max);
        available -= taken;
        return taken;
    }
}
