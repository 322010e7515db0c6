/** The dashboard's plumbing: the bus model, its two sources, the history and the JSON document. Not API. */
@NullMarked
package io.voidrail.dashboard.internal;

import org.jspecify.annotations.NullMarked;
