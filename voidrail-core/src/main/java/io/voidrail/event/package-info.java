/** Observation hooks for calls (client) and executions (dealer); Micrometer lives in the Spring module. */
@NullMarked
package io.voidrail.event;

import org.jspecify.annotations.NullMarked;
