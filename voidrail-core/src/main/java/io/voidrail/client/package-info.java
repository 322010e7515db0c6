/**
 * The client: calls, streams, discovery, monitoring and typed proxies.
 * {@link io.voidrail.client.VoidRailClient} is the API; {@link io.voidrail.client.ClientDealer} implements it.
 */
@NullMarked
package io.voidrail.client;

import org.jspecify.annotations.NullMarked;
