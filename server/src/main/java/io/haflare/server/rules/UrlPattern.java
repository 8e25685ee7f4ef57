package io.haflare.server.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A path pattern as Cloudflare Pages and Netlify write it: "*" is a greedy splat (":splat" in the
 * target), ":name" matches one path segment. Everything else is literal.
 */
public final class UrlPattern {
    private static final Pattern TOKEN = Pattern.compile("\\*|:[A-Za-z][A-Za-z0-9_]*");

    private final String source;
    private final Pattern regex;
    private final List<String> names;
    /** The text before the first "*" or ":name": a path that does not start with it cannot match. */
    private final String literalPrefix;

    private UrlPattern(String source, Pattern regex, List<String> names, String literalPrefix) {
        this.source = source;
        this.regex = regex;
        this.names = names;
        this.literalPrefix = literalPrefix;
    }

    public static UrlPattern compile(String pattern) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("pattern must start with /: " + pattern);
        }
        if (pattern.indexOf('?') >= 0) {
            throw new IllegalArgumentException("pattern " + pattern + " holds a query ('?'): rules match the path"
                    + " alone, so it would never match");
        }
        StringBuilder regex = new StringBuilder();
        List<String> names = new ArrayList<>();
        Matcher m = TOKEN.matcher(pattern);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(pattern.substring(last, m.start())));
            if (m.group().equals("*")) {
                if (names.contains("splat")) {
                    throw new IllegalArgumentException("only one * is allowed: " + pattern);
                }
                names.add("splat");
                regex.append("(.*)");
            } else {
                names.add(m.group().substring(1));
                regex.append("([^/]+)");
            }
            last = m.end();
        }
        regex.append(Pattern.quote(pattern.substring(last)));
        Matcher first = TOKEN.matcher(pattern);
        String prefix = first.find() ? pattern.substring(0, first.start()) : pattern;
        return new UrlPattern(pattern, Pattern.compile(regex.toString()), List.copyOf(names), prefix);
    }

    /** No splat and no placeholder: it matches one path, its own text. */
    public boolean isLiteral() {
        return names.isEmpty();
    }

    /** The captured values by name when the whole path matches, else null. */
    public Captures match(String path) {
        if (!path.startsWith(literalPrefix)) {
            return null; // most rules, at a string compare rather than a regex
        }
        Matcher m = regex.matcher(path);
        if (!m.matches()) {
            return null;
        }
        String[] values = new String[names.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = m.group(i + 1);
        }
        return new Captures(names, values);
    }

    @Override
    public String toString() {
        return source;
    }

    /** Values captured by a match, substituted into targets and header values as ":name". */
    public record Captures(List<String> names, String[] values) {
        public String substitute(String template) {
            if (names.isEmpty() || template.indexOf(':') < 0) {
                return template;
            }
            return substitute(template, UnaryOperator.identity(), UnaryOperator.identity());
        }

        /** The template with its own text passed through literal and each value through value. */
        public String substitute(String template, UnaryOperator<String> literal, UnaryOperator<String> value) {
            StringBuilder out = new StringBuilder();
            Matcher m = TOKEN.matcher(template);
            int last = 0;
            while (m.find()) {
                int index = m.group().equals("*") ? -1 : names.indexOf(m.group().substring(1));
                if (index >= 0) {
                    out.append(literal.apply(template.substring(last, m.start()))).append(value.apply(values[index]));
                    last = m.end();
                }
            }
            return out.append(literal.apply(template.substring(last))).toString();
        }
    }
}
