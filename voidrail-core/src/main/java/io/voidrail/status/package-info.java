/**
 * What a router reports about itself, one model for every reader: {@link io.voidrail.status.RouterStatus} is what
 * {@link io.voidrail.router.ServiceRouter#status()} returns in-process and what
 * {@link io.voidrail.client.VoidRailClient#getRouterInfo()} reads over the wire ({@code router_info},
 * {@code queue_status}, {@code clusters}), with {@link io.voidrail.status.DealerState} the router's view of a dealer.
 * Plain values; the router and the client both depend on this package, never the other way round.
 */
@NullMarked
package io.voidrail.status;

import org.jspecify.annotations.NullMarked;
