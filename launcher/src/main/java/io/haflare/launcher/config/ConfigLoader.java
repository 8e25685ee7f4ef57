package io.haflare.launcher.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Builds the effective NodeConfig from four layers, each overriding the one before: the embedded
 * defaults.yml, the config file, HAFLARE_* environment variables, flags. Each layer is checked on its own
 * first, so an unknown key or a bad value is reported with its source: the file and line, the variable,
 * or the flag.
 */
public final class ConfigLoader {
    public static final String DEFAULT_FILE = "haflare.yml";
    private static final String ENV_PREFIX = "HAFLARE_";

    private final ObjectMapper yaml = configure(YAMLMapper.builder().build());
    private final ObjectMapper json = configure(JsonMapper.builder().build())
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    /** Checks one layer alone: a key the layer leaves out is fine there, the defaults supply it. */
    private final ObjectMapper layerChecker = configure(YAMLMapper.builder().build())
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    private final JsonNode defaults;
    private final Map<String, String> envKeys;

    public ConfigLoader() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream("/io/haflare/launcher/defaults.yml")) {
            defaults = yaml.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("defaults.yml missing from the launcher", e);
        }
        envKeys = new TreeMap<>();
        collectKeys(defaults, "", envKeys);
    }

    private static ObjectMapper configure(ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("haflare");
        module.addDeserializer(Duration.class, new StdScalarDeserializer<>(Duration.class) {
            @Override
            public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                try {
                    return Durations.parse(p.getValueAsString(""));
                } catch (IllegalArgumentException e) {
                    throw JsonMappingException.from(p, e.getMessage());
                }
            }
        });
        module.addDeserializer(Path.class, new StdScalarDeserializer<>(Path.class) {
            @Override
            public Path deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                String text = p.getValueAsString("");
                return text.isBlank() ? null : Path.of(text);
            }
        });
        return mapper.registerModule(module)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
    }

    /** The configuration as YAML, durations in their short form, for `check`. */
    public String toYaml(NodeConfig config) {
        SimpleModule module = new SimpleModule("haflare-out");
        module.addSerializer(Duration.class, new com.fasterxml.jackson.databind.ser.std.StdSerializer<>(Duration.class) {
            @Override
            public void serialize(Duration value, com.fasterxml.jackson.core.JsonGenerator gen,
                                  com.fasterxml.jackson.databind.SerializerProvider provider) throws IOException {
                gen.writeString(Durations.format(value));
            }
        });
        module.addSerializer(Path.class, new com.fasterxml.jackson.databind.ser.std.ToStringSerializer(Path.class));
        try {
            return YAMLMapper.builder()
                    .disable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .build().registerModule(module).writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Env var name → dotted key, for every leaf of the defaults ("site.accessLog" ↔ HAFLARE_SITE_ACCESS_LOG). */
    private static void collectKeys(JsonNode node, String prefix, Map<String, String> out) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            if (field.getValue().isObject()) {
                collectKeys(field.getValue(), key, out);
            } else {
                out.put(envName(key), key);
            }
        }
    }

    static String envName(String key) {
        return ENV_PREFIX + key.replace('.', '_').replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    /**
     * @param file    the config file, or null for none
     * @param env     the environment (only HAFLARE_* names are read)
     * @param flags   a tree of the flags that were given, with the same keys as the file
     */
    public NodeConfig load(Path file, Map<String, String> env, ObjectNode flags) {
        ObjectNode merged = defaults.deepCopy();
        if (file != null) {
            merge(merged, readFile(file));
        }
        merge(merged, checked(fromEnv(env), "environment"));
        merge(merged, checked(flags, "flags"));
        try {
            return yaml.treeToValue(merged, NodeConfig.class);
        } catch (JsonProcessingException e) {
            throw new ConfigException("configuration: " + describe(e));
        }
    }

    private JsonNode readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file " + file + " does not exist (pass --config FILE with an existing"
                    + " file, or remove the flag to use " + DEFAULT_FILE + " when present)");
        }
        ObjectMapper mapper = file.toString().endsWith(".json") ? json : layerChecker;
        try {
            mapper.readValue(file.toFile(), NodeConfig.class); // reports unknown keys and bad values with their line
            JsonNode tree = mapper.readTree(file.toFile());
            return tree == null || tree.isMissingNode() ? JsonNodeFactory.instance.objectNode() : tree;
        } catch (UnrecognizedPropertyException e) {
            int line = keyLine(file, e.getPropertyName());
            String described = describe(e);
            throw new ConfigException(file + (line > 0 ? described.replaceFirst("^ line \\d+", " line " + line) : described));
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + describe(e));
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
    }

    /** The line where an unknown key is written (YAML parsers report the position after it). */
    private static int keyLine(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file);
            java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(
                    "^\\s*\"?" + java.util.regex.Pattern.quote(key) + "\"?\\s*:");
            for (int i = 0; i < lines.size(); i++) {
                if (pattern.matcher(lines.get(i)).find()) {
                    return i + 1;
                }
            }
        } catch (IOException e) {
            // fall back to the parser's position
        }
        return -1;
    }

    private JsonNode checked(ObjectNode layer, String source) {
        try {
            layerChecker.treeToValue(layer, NodeConfig.class);
            return layer;
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": " + describe(e));
        }
    }

    private ObjectNode fromEnv(Map<String, String> env) {
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            if (!e.getKey().startsWith(ENV_PREFIX)) {
                continue;
            }
            String key = envKeys.get(e.getKey());
            if (key == null) {
                throw new ConfigException("environment variable " + e.getKey() + " is not a haflare-node setting"
                        + " (known: " + String.join(", ", envKeys.keySet()) + ")");
            }
            if (key.equals("tunnel.agentArgs")) {
                ArrayNode args = JsonNodeFactory.instance.arrayNode();
                for (String arg : e.getValue().strip().split("\\s+")) {
                    if (!arg.isEmpty()) {
                        args.add(arg);
                    }
                }
                parent(tree, key).set(leaf(key), args);
            } else {
                parent(tree, key).put(leaf(key), e.getValue());
            }
        }
        return tree;
    }

    /** The object that holds a dotted key's leaf, created on the way. */
    static ObjectNode parent(ObjectNode root, String key) {
        ObjectNode node = root;
        String[] parts = key.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            node = child instanceof ObjectNode object ? object : node.putObject(parts[i]);
        }
        return node;
    }

    static String leaf(String key) {
        return key.substring(key.lastIndexOf('.') + 1);
    }

    private static void merge(ObjectNode base, JsonNode layer) {
        if (!(layer instanceof ObjectNode)) {
            return;
        }
        layer.fields().forEachRemaining(field -> {
            JsonNode existing = base.get(field.getKey());
            if (existing instanceof ObjectNode object && field.getValue().isObject()) {
                merge(object, field.getValue());
            } else {
                base.set(field.getKey(), field.getValue());
            }
        });
    }

    /** "line 7: unknown key 'site.lisen' (known: ...)" or "line 3: site.listen: ..." from Jackson's exception. */
    private static String describe(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        String where = location != null && location.getLineNr() > 0 ? " line " + location.getLineNr() : "";
        if (e instanceof UnrecognizedPropertyException unknown) {
            String key = path(unknown);
            List<String> known = new ArrayList<>();
            unknown.getKnownPropertyIds().forEach(id -> known.add(String.valueOf(id)));
            return where + ": unknown key '" + key + "' (known here: " + known.stream().sorted()
                    .collect(Collectors.joining(", ")) + ")";
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return where + ": bad value for '" + path(mapping) + "': " + e.getOriginalMessage()
                    .replaceAll(" at \\[Source.*", "").replaceAll("\\(for [^)]*\\)", "").strip();
        }
        return where + ": " + e.getOriginalMessage();
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
