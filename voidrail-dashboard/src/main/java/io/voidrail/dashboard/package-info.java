/**
 * A live web page of the bus: {@link io.voidrail.dashboard.Dashboard} reads the router (in-process, or remote
 * and read-only through a client) into one JSON document with a short history, and serves the page;
 * {@link io.voidrail.dashboard.DashboardServer} serves it with the JDK's HTTP server.
 */
@NullMarked
package io.voidrail.dashboard;

import org.jspecify.annotations.NullMarked;
