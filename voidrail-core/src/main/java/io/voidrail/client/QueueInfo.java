package io.voidrail.client;

/** One method's queue at the router: waiting calls, and offering dealers that are free or busy. */
public record QueueInfo(int queueLength, int availableServices, int busyServices) {
}
