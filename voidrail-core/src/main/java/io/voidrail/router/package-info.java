/**
 * The router: per-method queues, FIFO and LOAD_BALANCE dispatch, the dealer table, heartbeats and
 * authentication. {@link io.voidrail.router.ServiceRouter} is the entry point.
 */
@NullMarked
package io.voidrail.router;

import org.jspecify.annotations.NullMarked;
