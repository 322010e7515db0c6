/** VoidRail for Java: a small service bus over ZeroMQ, wire-compatible with Python VoidRail. */
@NullMarked
package io.voidrail;

import org.jspecify.annotations.NullMarked;
