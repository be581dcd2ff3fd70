package dev.triage.learn;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Re-checks the sums an answer shows its working with ({@code 3 x 60 = 180}, or GSM8K-style
 * {@code <<3*60=180>>}): a wrong step is strong evidence that the answer is wrong, and costs nothing
 * to find.
 */
final class Arithmetic {

    /** How many written calculations were checked, and how many were wrong. */
    record Check(int checked, int wrong) {
    }

    // "expr = number": an expression of numbers, operators, parentheses and spaces, with at least one operator.
    private static final Pattern EQUATION = Pattern.compile(
            "([\\d.,()$]+(?:\\s*[-+*/x×÷]\\s*[\\d.,()$]+)+)\\s*=\\s*\\$?(-?[\\d,]*\\.?\\d+)");
    private static final double RELATIVE_TOLERANCE = 1e-4;
    private static final double ROUNDING_TOLERANCE = 0.01;

    private Arithmetic() {
    }

    static Check check(String text) {
        int checked = 0;
        int wrong = 0;
        Matcher m = EQUATION.matcher(text);
        while (m.find()) {
            Double left = evaluate(m.group(1));
            Double right = number(m.group(2));
            if (left == null || right == null) {
                continue;
            }
            checked++;
            double tolerance = Math.max(ROUNDING_TOLERANCE, RELATIVE_TOLERANCE * Math.abs(left));
            if (Math.abs(left - right) > tolerance) {
                wrong++;
            }
        }
        return new Check(checked, wrong);
    }

    /** The last number an "= number" gives, or null. */
    static Double lastResult(String text) {
        Matcher m = EQUATION.matcher(text);
        Double last = null;
        while (m.find()) {
            Double v = number(m.group(2));
            if (v != null) {
                last = v;
            }
        }
        return last;
    }

    static Double number(String s) {
        String t = s.replace(",", "").replace("$", "").trim();
        if (t.isEmpty() || t.equals(".") || t.equals("-")) {
            return null;
        }
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The value of a + - * / expression with parentheses ('x', '×', '÷' accepted), or null if it does not parse. */
    static Double evaluate(String expression) {
        Parser p = new Parser(expression.replace(",", "").replace("$", "").replace('×', '*').replace('x', '*').replace('÷', '/'));
        try {
            double v = p.sum();
            p.skipSpaces();
            return p.at < p.s.length() || Double.isNaN(v) || Double.isInfinite(v) ? null : v;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static final class Parser {
        private final String s;
        private int at;

        Parser(String s) {
            this.s = s;
        }

        double sum() {
            double v = product();
            while (true) {
                skipSpaces();
                if (peek('+')) {
                    at++;
                    v += product();
                } else if (peek('-')) {
                    at++;
                    v -= product();
                } else {
                    return v;
                }
            }
        }

        double product() {
            double v = factor();
            while (true) {
                skipSpaces();
                if (peek('*')) {
                    at++;
                    v *= factor();
                } else if (peek('/')) {
                    at++;
                    v /= factor();
                } else {
                    return v;
                }
            }
        }

        double factor() {
            skipSpaces();
            if (peek('(')) {
                at++;
                double v = sum();
                skipSpaces();
                if (!peek(')')) {
                    throw new IllegalArgumentException("unclosed parenthesis");
                }
                at++;
                return v;
            }
            if (peek('-')) {
                at++;
                return -factor();
            }
            int start = at;
            while (at < s.length() && (Character.isDigit(s.charAt(at)) || s.charAt(at) == '.')) {
                at++;
            }
            if (start == at) {
                throw new IllegalArgumentException("number expected");
            }
            Double n = number(s.substring(start, at));
            if (n == null) {
                throw new IllegalArgumentException("bad number");
            }
            return n;
        }

        boolean peek(char c) {
            return at < s.length() && s.charAt(at) == c;
        }

        void skipSpaces() {
            while (at < s.length() && s.charAt(at) == ' ') {
                at++;
            }
        }
    }
}
