package io.haflare.server.files;

import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;

import java.util.Map;

/** Headers computed once per cached path (content type, cache policy, security defaults, _headers) and copied onto each response. */
public final class ResponseHeaders {
    public static final ResponseHeaders EMPTY = new ResponseHeaders(Map.of());

    private final HttpString[] names;
    private final String[] values;

    public ResponseHeaders(Map<String, String> headers) {
        names = new HttpString[headers.size()];
        values = new String[headers.size()];
        int i = 0;
        for (Map.Entry<String, String> e : headers.entrySet()) {
            names[i] = new HttpString(e.getKey());
            values[i] = e.getValue();
            i++;
        }
    }

    public void applyTo(HeaderMap target) {
        for (int i = 0; i < names.length; i++) {
            target.put(names[i], values[i]);
        }
    }

    public String get(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equalToString(name)) {
                return values[i];
            }
        }
        return null;
    }
}
