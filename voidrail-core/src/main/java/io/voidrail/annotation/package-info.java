/** The two annotations that put Java code on the bus. Used by core and by the Spring module alike. */
@NullMarked
package io.voidrail.annotation;

import org.jspecify.annotations.NullMarked;
