package io.voidrail.client;

/**
 * How many items of one stream a client lets the dealer send ahead of its consumer (stream credits): enough to keep
 * the stream flowing, few enough to bound what is buffered. The window starts small (the item size is not known
 * yet), then follows the items seen: as many as fit {@link #BUDGET_BYTES}, at least {@link #MIN_ITEMS}, at most the
 * client's {@code streamWindow}. Pure arithmetic; used by the client's I/O thread only.
 */
final class StreamWindow {

    /** Bytes of items granted and not yet taken by the consumer, at most (roughly: by the average item). */
    static final long BUDGET_BYTES = 8L * 1024 * 1024;
    /** Fewer items ahead would stall even a slow stream of large items between grants. */
    static final int MIN_ITEMS = 16;
    /** Granted before any item was seen. */
    static final int INITIAL_ITEMS = 32;

    private final int maxItems;
    private long granted;
    private long taken;
    private long received;
    private long receivedBytes;

    StreamWindow(int maxItems) {
        this.maxItems = Math.max(MIN_ITEMS, maxItems);
        this.granted = Math.min(INITIAL_ITEMS, this.maxItems);
    }

    /** What the request grants ({@code "credits"}). */
    long initial() {
        return Math.min(INITIAL_ITEMS, maxItems);
    }

    void received(int bytes) {
        received++;
        receivedBytes += bytes;
    }

    /**
     * The consumer took {@code items} more.
     *
     * @return how many more items to grant now; 0 while the open window is still close to the target
     */
    long taken(int items) {
        taken += items;
        long target = target();
        long deficit = target - (granted - taken);
        if (deficit >= Math.max(1, target / 4)) {
            granted += deficit;
            return deficit;
        }
        return 0;
    }

    /** The window wanted now: the budget at the average item size seen, within bounds. */
    long target() {
        if (received == 0) {
            return initial();
        }
        long average = Math.max(1, receivedBytes / received);
        return Math.max(MIN_ITEMS, Math.min(maxItems, BUDGET_BYTES / average));
    }

    /** The most items the consumer's buffer may hold from a dealer that honours the credits (with slack). */
    long bufferLimit() {
        return 2L * maxItems;
    }
}
