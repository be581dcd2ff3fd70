package dev.triage.simulate.plot;

/** The shape drawn at a point; the references get shapes no curve uses, so they stand out. */
public enum Marker {
    /** Small dot on each operating point of a curve. */
    DOT,
    /** Star: the oracle. */
    STAR,
    /** Large filled circle: the strong model on its own. */
    FILLED_CIRCLE,
    /** Large hollow circle: the weak model on its own. */
    HOLLOW_CIRCLE,
    /** Diamond: any other single point, e.g. random or a route without a knob. */
    DIAMOND,
    /** Square: a single model on its own, on a file of many models. */
    SQUARE,
    TRIANGLE,
    /** No marker: a line only, such as the single-model frontier. */
    NONE
}
