/** Micrometer Observations around calls and executions, the queue-time timer, and gauges of the in-process router. */
@NullMarked
package io.voidrail.boot.micrometer;

import org.jspecify.annotations.NullMarked;
