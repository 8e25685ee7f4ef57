package io.haflare.launcher.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.haflare.server.files.TextFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a YAML or JSON config file with Jackson's streaming parser into key → value, each value tagged with
 * its file and line, so every later error can point at the line to fix. Unknown keys are refused here.
 */
final class ConfigFileReader {
    private ConfigFileReader() {
    }

    static Map<ConfigKey, ConfigValue> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file " + file + " does not exist (pass --config FILE with an existing"
                    + " file, or remove the flag to use " + ConfigLoader.DEFAULT_FILE + " when present)");
        }
        JsonFactory factory = file.toString().endsWith(".json") ? new JsonFactory() : new YAMLFactory();
        Map<ConfigKey, ConfigValue> values = new LinkedHashMap<>();
        String text;
        try {
            text = TextFile.read(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read the config file " + file + " (" + e.getClass().getSimpleName()
                    + "): check that the node's user may read it");
        }
        if (factory instanceof YAMLFactory) {
            refuseTabIndents(file, text);
        }
        try (JsonParser parser = factory.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return values; // an empty file sets nothing
            }
            if (first != JsonToken.START_OBJECT) {
                throw error(file, parser, "the file must be a mapping of sections (node, site, tunnel, health)");
            }
            readObject(file, parser, "", values);
        } catch (IOException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage().split("\n")[0];
            throw new ConfigException(file + ": not valid " + (factory instanceof YAMLFactory ? "YAML" : "JSON")
                    + ": " + message + lineOf(e));
        }
        return values;
    }

    /** The most common YAML mistake, which the parser reports as "while scanning for the next token". */
    private static void refuseTabIndents(Path file, String text) {
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int indent = 0;
            while (indent < line.length() && (line.charAt(indent) == ' ' || line.charAt(indent) == '\t')) {
                indent++;
            }
            if (line.substring(0, indent).indexOf('\t') >= 0 && indent < line.length() && line.charAt(indent) != '#') {
                throw new ConfigException(file + " line " + (i + 1) + ": a tab indents this line, and YAML indents"
                        + " with spaces only: replace it with spaces (two per level)");
            }
        }
    }

    private static void readObject(Path file, JsonParser parser, String prefix, Map<ConfigKey, ConfigValue> out)
            throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String path = prefix.isEmpty() ? parser.currentName() : prefix + "." + parser.currentName();
            int line = parser.currentLocation().getLineNr();
            JsonToken value = parser.nextToken();
            ConfigKey key = ConfigKey.byPath(path);
            boolean section = key == null && !ConfigKey.namesUnder(path).isEmpty();
            if (value == JsonToken.START_OBJECT && section) {
                readObject(file, parser, path, out);
                continue;
            }
            if (section) {
                throw new ConfigException(file + " line " + line + ": '" + path + "' is a section: put its keys under"
                        + " it, indented (" + String.join(", ", ConfigKey.namesUnder(path)) + ")");
            }
            if (key == null) {
                throw new ConfigException(file + " line " + line + ": unknown key '" + path + "' (known here: "
                        + String.join(", ", ConfigKey.namesUnder(prefix)) + ")");
            }
            String source = file + " line " + line;
            if (out.containsKey(key)) {
                throw new ConfigException(source + ": '" + path + "' is set twice (first at "
                        + out.get(key).source().substring(file.toString().length() + 1) + "): keep one");
            }
            if (value == JsonToken.START_ARRAY) {
                List<String> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    if (!parser.currentToken().isScalarValue()) {
                        throw new ConfigException(source + ": '" + path + "' must be a list of plain values");
                    }
                    items.add(parser.getText());
                }
                out.put(key, ConfigValue.of(items, source));
            } else if (value != null && value.isScalarValue()) {
                out.put(key, ConfigValue.of(value == JsonToken.VALUE_NULL ? "" : parser.getText(), source));
            } else {
                throw new ConfigException(source + ": '" + path + "' must be a single value, not a section");
            }
        }
    }

    private static ConfigException error(Path file, JsonParser parser, String message) {
        return new ConfigException(file + " line " + parser.currentLocation().getLineNr() + ": " + message);
    }

    private static String lineOf(IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException p && p.getLocation() != null) {
            return " (line " + p.getLocation().getLineNr() + ")";
        }
        return "";
    }
}
