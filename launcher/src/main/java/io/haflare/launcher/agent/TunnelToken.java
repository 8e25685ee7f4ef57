package io.haflare.launcher.agent;

import io.haflare.server.files.TextFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tunnel token, from the first of: tunnel.tokenFile (--token-file), TUNNEL_TOKEN_FILE, TUNNEL_TOKEN.
 * Its value is never printed: toString() and every message say where it came from, not what it is.
 */
public final class TunnelToken {
    private static final Pattern ACCOUNT = Pattern.compile("\"a\"\\s*:\\s*\"[0-9a-f]{32}\"");
    private static final Pattern TUNNEL = Pattern.compile("\"t\"\\s*:\\s*\"[0-9a-fA-F-]{36}\"");
    private static final Pattern SECRET = Pattern.compile("\"s\"\\s*:\\s*\"[A-Za-z0-9+/=_-]+\"");

    private final String value;
    private final String source;
    private final String exposure;

    private TunnelToken(String value, String source) {
        this(value, source, null);
    }

    private TunnelToken(String value, String source, String exposure) {
        this.value = value;
        this.source = source;
        this.exposure = exposure;
    }

    /** The token, or null when none is configured (the node then serves in local mode). */
    public static TunnelToken find(Path tokenFile, Map<String, String> env) {
        if (tokenFile != null) {
            return fromFile(tokenFile, "token file " + tokenFile);
        }
        String file = env.get("TUNNEL_TOKEN_FILE");
        if (file != null && !file.isBlank()) {
            return fromFile(Path.of(file), "TUNNEL_TOKEN_FILE " + file);
        }
        String token = env.get("TUNNEL_TOKEN");
        if (token == null) {
            return null;
        }
        if (token.isBlank()) { // `TUNNEL_TOKEN=${TUNNEL_TOKEN}` in a compose file on a host that lacks it
            throw new TokenException("TUNNEL_TOKEN is set but empty: put the token from the Cloudflare dashboard in"
                    + " it, or unset it to serve in local mode");
        }
        return new TunnelToken(token.strip(), "TUNNEL_TOKEN");
    }

    private static TunnelToken fromFile(Path file, String source) {
        if (Files.isDirectory(file)) {
            throw new TokenException("the " + source + " is a directory: point it at the file holding the token");
        }
        try {
            String token = TextFile.read(file).strip();
            if (token.isEmpty()) {
                throw new TokenException(source + " is empty: put the token from the Cloudflare dashboard in it");
            }
            return new TunnelToken(token, source, exposure(file));
        } catch (IOException e) {
            throw new TokenException("cannot read the " + source + " (" + e.getClass().getSimpleName()
                    + "): check that it exists and that the node's user may read it");
        }
    }

    /** What is wrong with a token file that others than its owner may read, or null. */
    private static String exposure(Path file) {
        try {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            boolean readableByOthers = perms.contains(java.nio.file.attribute.PosixFilePermission.GROUP_READ)
                    || perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ);
            return readableByOthers ? "the token file " + file + " is readable by others ("
                    + java.nio.file.attribute.PosixFilePermissions.toString(perms) + "): chmod 600 it, owned by the"
                    + " node's user (or hand it over with systemd's LoadCredential)" : null;
        } catch (IOException | UnsupportedOperationException e) {
            return null; // no POSIX permissions here (Windows): nothing to check this way
        }
    }

    /** A warning when the token's file is readable by others than its owner, else null. */
    public String exposure() {
        return exposure;
    }

    /**
     * Null when the token looks like what the dashboard hands out (base64 of JSON with "a", "t", "s"),
     * else what is wrong: the agent would refuse it with exit 255.
     */
    public String shapeProblem() {
        if (value.contains("--token") || value.startsWith("cloudflared ")) {
            return "the " + source + " holds more than the token (a command line?): keep only the token, the long"
                    + " string after --token in the dashboard's command";
        }
        if (value.length() > 1 && (value.startsWith("\"") || value.startsWith("'"))
                && value.charAt(value.length() - 1) == value.charAt(0)) {
            return "the token from " + source + " is in quotes: remove them";
        }
        String json;
        try {
            json = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "the token from " + source + " is not base64: copy the whole token from the dashboard";
        }
        if (!ACCOUNT.matcher(json).find() || !TUNNEL.matcher(json).find() || !SECRET.matcher(json).find()) {
            return "the token from " + source + " is not a tunnel token (base64 of JSON with \"a\", \"t\" and \"s\")";
        }
        return null;
    }

    /** The id of the tunnel the token is for (its "t"), or null when it is not a tunnel token. */
    public String tunnelId() {
        return tunnelIdOf(value);
    }

    /** The "t" of a token's JSON, lower case; null when the text is not base64 of such JSON. */
    static String tunnelIdOf(String token) {
        try {
            Matcher m = TUNNEL.matcher(new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8));
            if (!m.find()) {
                return null;
            }
            String field = m.group();
            return field.substring(field.length() - 37, field.length() - 1).toLowerCase(java.util.Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The secret itself: only for the child's environment and for redacting it from output. */
    public String reveal() {
        return value;
    }

    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "token from " + source;
    }

    /** A token that cannot be used; the message never contains it. */
    public static final class TokenException extends RuntimeException {
        public TokenException(String message) {
            super(message);
        }
    }
}
