package dev.triage.http;

import java.util.concurrent.ThreadLocalRandom;

/** Request ids: {@code req_} and 24 random base-32 characters (120 bits), cheap to make and to grep. */
final class RequestIds {

    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private RequestIds() {
    }

    static String next() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        char[] out = new char[28];
        out[0] = 'r';
        out[1] = 'e';
        out[2] = 'q';
        out[3] = '_';
        long a = r.nextLong();
        long b = r.nextLong();
        for (int i = 0; i < 12; i++) {
            out[4 + i] = ALPHABET[(int) (a >>> (i * 5)) & 31];
            out[16 + i] = ALPHABET[(int) (b >>> (i * 5)) & 31];
        }
        return new String(out);
    }
}
