package io.haflare.server.http;

import io.undertow.util.HttpString;

/**
 * Request methods compared exactly. A method name is case-sensitive (RFC 9110, 9.1) but HttpString's equals
 * ignores case, so "get / HTTP/1.1" passed for a GET (nginx answers it 400).
 */
public final class ExactMethod {
    private ExactMethod() {
    }

    public static boolean is(HttpString method, HttpString expected) {
        // Undertow's parser hands out its own constant for a method spelled exactly: the comparison is identity
        return method == expected || method.toString().equals(expected.toString());
    }
}
