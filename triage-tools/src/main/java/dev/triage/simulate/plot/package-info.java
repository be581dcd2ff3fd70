/**
 * The cost–quality plot of {@code triage simulate --plot}: one SVG document, every strategy labelled
 * next to its curve or marker so it reads without a legend. Plain Java, writes the SVG text itself.
 */
package dev.triage.simulate.plot;
