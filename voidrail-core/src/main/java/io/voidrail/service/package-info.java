/**
 * Service methods: finding the {@code @ServiceMethod} methods of an object ({@link io.voidrail.service.ServiceDefinition}),
 * binding the JSON {@code args}/{@code kwargs} of a call to their Java parameters and invoking them
 * ({@link io.voidrail.service.MethodHandler}), and telling the shape of what they returned
 * ({@link io.voidrail.service.Invocation}). No sockets here: the dealer runs calls through these types.
 */
@NullMarked
package io.voidrail.service;

import org.jspecify.annotations.NullMarked;
