/**
 * The wire protocol: message type tokens, frame layout, JSON shapes and error codes (PROTOCOL.md).
 * No sockets here; router, dealer and client build and read their messages with these types.
 */
@NullMarked
package io.voidrail.protocol;

import org.jspecify.annotations.NullMarked;
