/** Auto-configuration of the VoidRail dashboard in servlet and reactive web applications. */
@NullMarked
package io.voidrail.boot.autoconfigure.dashboard;

import org.jspecify.annotations.NullMarked;
