/**
 * VoidRail errors over HTTP: a {@code VoidRailException} thrown by a Spring MVC or WebFlux controller becomes an
 * RFC 9457 problem detail with a status that fits its error code.
 */
@NullMarked
package io.voidrail.boot.web;

import org.jspecify.annotations.NullMarked;
