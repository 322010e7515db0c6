/**
 * The dealer: registration, heartbeats, reconnects and running service methods on a bounded worker
 * pool. {@link io.voidrail.dealer.ServiceDealer} is the entry point.
 */
@NullMarked
package io.voidrail.dealer;

import org.jspecify.annotations.NullMarked;
