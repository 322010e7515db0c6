/** The {@code voidrail} Actuator endpoint and health indicator. */
@NullMarked
package io.voidrail.boot.actuate;

import org.jspecify.annotations.NullMarked;
