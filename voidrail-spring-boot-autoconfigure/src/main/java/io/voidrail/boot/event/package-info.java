/**
 * Application events of VoidRail's lifecycle: the in-process router started and stopped, this application's dealers
 * registered with their router and lost it. Listen with {@code @EventListener} as for any Spring event.
 */
@NullMarked
package io.voidrail.boot.event;

import org.jspecify.annotations.NullMarked;
