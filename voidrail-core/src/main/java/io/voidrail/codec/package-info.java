/** Jackson 3 mapping of arguments and results; one shared {@link io.voidrail.codec.JsonCodec}. */
@NullMarked
package io.voidrail.codec;

import org.jspecify.annotations.NullMarked;
