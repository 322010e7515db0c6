package io.voidrail.client;

/**
 * One method's queue at the router: waiting calls, and offering dealers that are free or busy.
 *
 * @param oldestWaitMs how long the oldest waiting call has waited, in milliseconds (a Java router's extension;
 *                     0 when none waits or the router does not say)
 */
public record QueueInfo(int queueLength, int availableServices, int busyServices, long oldestWaitMs) {

    public QueueInfo(int queueLength, int availableServices, int busyServices) {
        this(queueLength, availableServices, busyServices, 0);
    }
}
