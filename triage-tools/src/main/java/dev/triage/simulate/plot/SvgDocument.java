package dev.triage.simulate.plot;

import java.math.BigDecimal;

/** Writes SVG 1.1 text: elements with escaped attributes and content, indented two spaces a level. */
final class SvgDocument {

    private final StringBuilder out = new StringBuilder(16_384);
    private int depth;

    SvgDocument(int width, int height) {
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        // No DOCTYPE: the SVG 1.1 DTD is optional and would make XML parsers try to fetch it.
        open("svg", "xmlns", "http://www.w3.org/2000/svg", "version", "1.1",
                "width", Integer.toString(width), "height", Integer.toString(height),
                "viewBox", "0 0 " + width + " " + height,
                "font-family", "Helvetica, Arial, sans-serif");
    }

    /** Opens {@code name}; {@code attributes} are name, value pairs. */
    void open(String name, String... attributes) {
        indent();
        out.append('<').append(name);
        attributes(attributes);
        out.append(">\n");
        depth++;
    }

    void close(String name) {
        depth--;
        indent();
        out.append("</").append(name).append(">\n");
    }

    void empty(String name, String... attributes) {
        indent();
        out.append('<').append(name);
        attributes(attributes);
        out.append("/>\n");
    }

    /** An element holding only text, e.g. a {@code <title>}. */
    void text(String name, String content, String... attributes) {
        indent();
        out.append('<').append(name);
        attributes(attributes);
        out.append('>').append(escape(content)).append("</").append(name).append(">\n");
    }

    /**
     * A {@code <text>} of one or more lines, each a {@code <tspan>} starting at {@code x}; written on
     * one line because whitespace between tspans would render as a space and shift end-anchored text.
     */
    void lines(String[] lines, double x, double firstBaseline, double lineHeight, String... attributes) {
        indent();
        out.append("<text");
        attributes(attributes);
        out.append('>');
        for (int i = 0; i < lines.length; i++) {
            out.append("<tspan x=\"").append(number(x)).append("\" y=\"")
                    .append(number(firstBaseline + i * lineHeight)).append("\">")
                    .append(escape(lines[i])).append("</tspan>");
        }
        out.append("</text>\n");
    }

    String finish() {
        close("svg");
        return out.toString();
    }

    private void attributes(String[] attributes) {
        if (attributes.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name, value pairs");
        }
        for (int i = 0; i < attributes.length; i += 2) {
            out.append(' ').append(attributes[i]).append("=\"").append(escape(attributes[i + 1])).append('"');
        }
    }

    private void indent() {
        out.repeat("  ", depth);
    }

    /**
     * Escapes the five XML specials; characters XML 1.0 cannot hold at all (most control characters,
     * lone surrogates) become U+FFFD so a strange model name cannot break the document.
     */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&apos;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                        escaped.append(c).append(text.charAt(++i));
                    } else if (allowed(c)) {
                        escaped.append(c);
                    } else {
                        escaped.append('\uFFFD');
                    }
                }
            }
        }
        return escaped.toString();
    }

    private static boolean allowed(char c) {
        if (Character.isSurrogate(c)) {
            return false;
        }
        return c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
    }

    /** A coordinate with at most two decimals and no exponent, independent of the default locale. */
    static String number(double value) {
        return BigDecimal.valueOf(Math.round(value * 100), 2).stripTrailingZeros().toPlainString();
    }
}
