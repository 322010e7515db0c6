/** Auto-configuration of VoidRail's problem details for Spring MVC and WebFlux. */
@NullMarked
package io.voidrail.boot.autoconfigure.web;

import org.jspecify.annotations.NullMarked;
