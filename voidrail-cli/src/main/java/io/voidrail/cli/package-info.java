/**
 * The {@code voidrail} command: {@code router}, {@code client} and {@code dealer} on top of voidrail-core.
 * {@link io.voidrail.cli.VoidRailCommand} is the entry point of the runnable jar that {@code bin/voidrail} starts.
 */
@NullMarked
package io.voidrail.cli;

import org.jspecify.annotations.NullMarked;
