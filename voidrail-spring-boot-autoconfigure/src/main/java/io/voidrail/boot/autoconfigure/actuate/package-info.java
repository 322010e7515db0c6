/** Auto-configuration of the VoidRail Actuator endpoint, health indicator, meters and observations. */
@NullMarked
package io.voidrail.boot.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
