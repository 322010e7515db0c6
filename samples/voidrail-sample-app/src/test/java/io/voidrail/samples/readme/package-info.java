/**
 * The README's code, verbatim: {@code ReadmeSnippetsTests} checks that every Java snippet of the README is in the
 * project's code (most of them here, the rest in the samples), and the tests here run them. Change the README and
 * this code together.
 */
package io.voidrail.samples.readme;
