package dev.triage.analysis;

/**
 * One phrase the analyser looks for, and what finding it means.
 *
 * @param phrase      lower-case text to find
 * @param type        index into {@link TaskType#BUILT_IN} that the phrase is evidence for, or -1
 * @param weight      evidence added to that type's score
 * @param signal      what else the phrase says about the request (for complexity and quick answers), or null
 * @param boundedStart the phrase must not continue a word on its left ("hi" is not in "this")
 * @param boundedEnd   the phrase must not run on into a longer word; false for prefixes, so
 *                     "summar" finds "summarise"
 * @param openingOnly  the phrase counts only where the message starts ("is" as in "Is Pluto a planet?")
 */
record Cue(String phrase, int type, double weight, Signal signal, boolean boundedStart, boolean boundedEnd,
           boolean openingOnly) {

    /**
     * A cue from the notation used in {@link TaskCues}: a trailing {@code *} marks a prefix, a leading
     * {@code ^} a phrase that counts only at the start of the message. Edges that are Latin letters or
     * digits must be word boundaries; CJK phrases need none (those scripts have no spaces).
     */
    static Cue of(String notation, int type, double weight, Signal signal) {
        boolean opening = notation.startsWith("^");
        boolean prefix = notation.endsWith("*");
        String phrase = notation.substring(opening ? 1 : 0, notation.length() - (prefix ? 1 : 0));
        if (phrase.isEmpty()) {
            throw new IllegalArgumentException("empty cue: '" + notation + "'");
        }
        StringBuilder folded = new StringBuilder(phrase.length());
        for (int i = 0; i < phrase.length(); i++) {
            folded.append(PhraseMatcher.fold(phrase.charAt(i)));
        }
        phrase = folded.toString();
        return new Cue(phrase, type, weight, signal, PhraseMatcher.isWordChar(phrase.charAt(0)),
                !prefix && PhraseMatcher.isWordChar(phrase.charAt(phrase.length() - 1)), opening);
    }

    /** What a phrase says besides the task type. */
    enum Signal {
        /** An interrogative opening: "who", "what is", "does". */
        QUESTION,
        /** The caller wants it short: "in one word", "yes or no". */
        BREVITY,
        /** A look-up of a fact: "capital of", "stands for", "define". */
        FACT,
        /** Work in steps: "step by step", "first … then". */
        MULTI_STEP,
        /** A requirement the answer must meet: "must", "at least", "without". */
        CONSTRAINT,
        /** Hard material: "prove", "optimal", "distributed", "thread-safe". */
        DEPTH,
        /** A natural language named ("French", "日语"). */
        LANGUAGE,
        /** A programming language or developer tool named: a topic, so several count little more than one. */
        TECH,
        /** A greeting or thanks opening the message. */
        GREETING,
        /** Alternatives offered: "A or B", "A, B or C". */
        ALTERNATIVES
    }
}
