/**
 * The reference backend: single-threaded plain loops, written to be read. It is the oracle that
 * every faster backend is tested against, and it stays forever.
 */
package jgrad.backend.reference;
