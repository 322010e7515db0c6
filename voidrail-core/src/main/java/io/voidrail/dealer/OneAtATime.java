package io.voidrail.dealer;

/**
 * Whether a loop's calls come one at a time: the only case in which a call on the loop's thread delays no other
 * (a FIFO router sends a one-slot dealer its next call after the reply). A call that arrives while another runs, or
 * waited behind one (LOAD_BALANCE, several slots), sends the loop's calls to workers until {@link #ALONE_AGAIN}
 * calls in a row arrived alone. Used by the thread that owns the loop only.
 */
final class OneAtATime {

    static final int ALONE_AGAIN = 64;

    private int aloneInARow = ALONE_AGAIN;

    boolean holds() {
        return aloneInARow >= ALONE_AGAIN;
    }

    /** A call arrived; {@code alone}: nothing else ran meanwhile, and it did not wait behind another. */
    void arrived(boolean alone) {
        if (!alone) {
            aloneInARow = 0;
        }
        else if (aloneInARow < ALONE_AGAIN) {
            aloneInARow++;
        }
    }
}
