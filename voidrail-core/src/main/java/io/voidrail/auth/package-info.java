/** API keys: generation, constant-time checks and the original's environment variables. */
@NullMarked
package io.voidrail.auth;

import org.jspecify.annotations.NullMarked;
