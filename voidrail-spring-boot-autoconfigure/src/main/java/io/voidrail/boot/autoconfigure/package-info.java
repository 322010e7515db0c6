/**
 * Auto-configuration of VoidRail: a {@link io.voidrail.client.VoidRailClient} bean, dealers for
 * {@link io.voidrail.annotation.VoidRailService @VoidRailService} beans and, when enabled, an in-process router.
 */
@NullMarked
package io.voidrail.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
