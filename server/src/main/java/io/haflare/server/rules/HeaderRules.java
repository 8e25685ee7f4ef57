package io.haflare.server.rules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The site's _headers file, in the syntax Cloudflare Pages documents: a path pattern at the start of a
 * line, then indented {@code Name: value} lines that apply to it, or {@code ! Name} to remove a header.
 * Every matching rule applies, in order; a header set by two rules gets both values joined by ", ".
 */
public final class HeaderRules {
    public static final String FILE = "_headers";

    /** One header operation: set (value non-null) or detach (value null). */
    record Operation(String name, String value) {}

    record Rule(UrlPattern pattern, List<Operation> operations) {}

    public static final HeaderRules NONE = new HeaderRules(List.of(), List.of());

    private final List<Rule> rules;
    private final List<RuleProblem> problems;

    private HeaderRules(List<Rule> rules, List<RuleProblem> problems) {
        this.rules = rules;
        this.problems = problems;
    }

    public static HeaderRules parse(String text) {
        List<Rule> rules = new ArrayList<>();
        List<RuleProblem> problems = new ArrayList<>();
        List<Operation> operations = null;
        boolean skipping = false; // under a pattern line that was ignored: its headers go with it
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String raw = lines[i];
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean indented = Character.isWhitespace(raw.charAt(0));
            if (indented && skipping) {
                continue;
            }
            try {
                if (!indented) {
                    operations = null;
                    skipping = true;
                    if (line.startsWith("http://") || line.startsWith("https://")) {
                        throw new IllegalArgumentException("host-specific rules are not supported here: " + line);
                    }
                    UrlPattern pattern = UrlPattern.compile(line);
                    operations = new ArrayList<>();
                    rules.add(new Rule(pattern, operations));
                    skipping = false;
                } else if (operations == null) {
                    throw new IllegalArgumentException("header line before any path pattern");
                } else {
                    operations.add(parseOperation(line));
                }
            } catch (IllegalArgumentException e) {
                problems.add(new RuleProblem(FILE, i + 1, e.getMessage() + (indented ? " (line ignored)"
                        : " (rule ignored, with the header lines under it)")));
            }
        }
        List<Rule> frozen = rules.stream().map(r -> new Rule(r.pattern(), List.copyOf(r.operations()))).toList();
        return new HeaderRules(frozen, List.copyOf(problems));
    }

    private static Operation parseOperation(String line) {
        if (line.startsWith("!")) {
            String name = line.substring(1).strip();
            checkName(name);
            return new Operation(name, null);
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("expected 'Name: value', found '" + line + "'");
        }
        String name = line.substring(0, colon).strip();
        checkName(name);
        String value = line.substring(colon + 1).strip();
        if (value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
            throw new IllegalArgumentException("the value of '" + name + "' holds a control character");
        }
        return new Operation(name, value);
    }

    /** The characters RFC 9110 allows in a field name (tchar). */
    private static final String NAME_SYMBOLS = "!#$%&'*+-.^_`|~";

    /**
     * Headers that describe the connection or the message's framing, not the file: the server sets them, and a
     * rule's Transfer-Encoding or Connection would make the answer unreadable or cut the connection.
     */
    private static final java.util.Set<String> SERVERS_OWN = java.util.Set.of("connection", "content-length",
            "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");

    private static void checkName(String name) {
        if (name.isEmpty() || !name.chars().allMatch(c -> c < 127 && (Character.isLetterOrDigit(c)
                || NAME_SYMBOLS.indexOf(c) >= 0))) {
            throw new IllegalArgumentException("invalid header name '" + name + "'");
        }
        if (SERVERS_OWN.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("'" + name + "' describes the connection, not the file: the server"
                    + " sets it");
        }
    }

    /** A value as its bytes go on the wire: UTF-8, as nginx sends what its UTF-8 configuration holds. */
    private static String wire(String value) {
        return value.chars().allMatch(c -> c < 0x80) ? value
                : new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /**
     * Applies the matching rules for a path on top of the defaults: a rule's header replaces a default of the
     * same name, values from two rules are joined, "! Name" removes it.
     */
    public Map<String, String> apply(String path, Map<String, String> defaults) {
        Map<String, String> headers = new LinkedHashMap<>();
        defaults.forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
        Map<String, String> names = new LinkedHashMap<>();
        defaults.keySet().forEach(name -> names.put(name.toLowerCase(Locale.ROOT), name));
        Map<String, Boolean> fromRules = new LinkedHashMap<>();
        for (Rule rule : rules) {
            UrlPattern.Captures captures = rule.pattern().match(path);
            if (captures == null) {
                continue;
            }
            for (Operation op : rule.operations()) {
                String key = op.name().toLowerCase(Locale.ROOT);
                if (op.value() == null) {
                    headers.remove(key);
                    fromRules.remove(key);
                    continue;
                }
                String value = captures.substitute(op.value());
                if (fromRules.containsKey(key) && headers.containsKey(key)) {
                    headers.put(key, headers.get(key) + ", " + value);
                } else {
                    headers.put(key, value);
                    names.put(key, op.name());
                    fromRules.put(key, true);
                }
            }
        }
        Map<String, String> result = new LinkedHashMap<>();
        headers.forEach((key, value) -> result.put(names.get(key), wire(value)));
        return result;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    public List<RuleProblem> problems() {
        return problems;
    }
}
