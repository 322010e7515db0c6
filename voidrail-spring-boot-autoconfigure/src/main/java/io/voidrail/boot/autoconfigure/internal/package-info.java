/** Lifecycles, bean registration and adapters behind the auto-configuration; not API. */
@NullMarked
package io.voidrail.boot.autoconfigure.internal;

import org.jspecify.annotations.NullMarked;
