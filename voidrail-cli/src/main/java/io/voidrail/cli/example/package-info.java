/** A service shipped in the CLI jar so that {@code voidrail dealer} runs out of the box. */
@NullMarked
package io.voidrail.cli.example;

import org.jspecify.annotations.NullMarked;
