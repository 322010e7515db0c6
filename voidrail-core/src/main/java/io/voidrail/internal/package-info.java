/** Loop and thread plumbing shared by the router, dealer and client. Not API. */
@NullMarked
package io.voidrail.internal;

import org.jspecify.annotations.NullMarked;
