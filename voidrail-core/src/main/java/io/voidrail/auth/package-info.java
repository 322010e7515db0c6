/** API keys (generation, constant-time checks, the original's environment variables) and CURVE keys and settings. */
@NullMarked
package io.voidrail.auth;

import org.jspecify.annotations.NullMarked;
