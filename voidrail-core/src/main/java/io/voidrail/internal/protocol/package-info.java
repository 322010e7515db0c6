/**
 * The wire protocol: message type tokens, frame layout, JSON shapes and error codes, as specified for implementers
 * of other peers in {@code docs/PROTOCOL.md} at the root of the VoidRail repository ("PROTOCOL.md section N" in
 * this code's comments refers to it; the recorded Python traffic it quotes is in
 * {@code voidrail-core/src/test/resources/interop}). No sockets here; router, dealer and client build and read
 * their messages with these types.
 */
@NullMarked
package io.voidrail.internal.protocol;

import org.jspecify.annotations.NullMarked;
