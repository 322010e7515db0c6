/**
 * The VoidRail load generator: a raw JeroMQ request/reply baseline and VoidRail's router, dealer and
 * client, measured in one run with the same call count, window and payload. {@link
 * io.voidrail.benchmarks.LoadGenerator} is the entry point; nothing here runs during a build.
 */
@NullMarked
package io.voidrail.benchmarks;

import org.jspecify.annotations.NullMarked;
