package io.haflare.server.log;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One log line built straight as ASCII bytes, so each value is read once: checked and copied in the same
 * pass, then the whole line copied into the thread's buffer as an array.
 */
final class AsciiLine {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private byte[] bytes = new byte[512];
    private int length;

    AsciiLine clear() {
        length = 0;
        return this;
    }

    int length() {
        return length;
    }

    byte[] bytes() {
        return bytes;
    }

    /** Appends text that is printable ASCII by construction: constants, the time, an address. */
    AsciiLine append(String text) {
        int n = text.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[length + i] = (byte) text.charAt(i);
        }
        length += n;
        return this;
    }

    AsciiLine append(char c) {
        ensure(1);
        bytes[length++] = (byte) c;
        return this;
    }

    AsciiLine append(long value) {
        if (value < 0) {
            return append(Long.toString(value)); // never on the hot path: sizes and statuses are not negative
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        ensure(digits);
        for (int i = length + digits - 1; i >= length; i--) {
            bytes[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += digits;
        return this;
    }

    /** Like nginx: quotes, backslashes and bytes outside printable ASCII become \xHH. */
    AsciiLine appendEscaped(String value) {
        int n = value.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (isPlain(c)) {
                bytes[length++] = (byte) c;
            } else {
                ensure(4 + n - i);
                bytes[length++] = '\\';
                bytes[length++] = 'x';
                bytes[length++] = HEX[(c >> 4) & 0xf];
                bytes[length++] = HEX[c & 0xf];
            }
        }
        return this;
    }

    private static boolean isPlain(char c) {
        return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, length + more));
        }
    }

    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }
}
