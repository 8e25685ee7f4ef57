package io.haflare.launcher.config;

import java.util.List;

/** One setting as a layer gives it: its raw value (text, or a list of text) and where it came from. */
public record ConfigValue(Object raw, String source) {
    public static ConfigValue of(String text, String source) {
        return new ConfigValue(text, source);
    }

    public static ConfigValue of(List<String> items, String source) {
        return new ConfigValue(List.copyOf(items), source);
    }
}
