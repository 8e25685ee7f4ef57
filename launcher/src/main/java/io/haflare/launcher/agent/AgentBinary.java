package io.haflare.launcher.agent;

import io.haflare.launcher.config.ConfigException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Finds the cloudflared to run: the configured path, else the one bundled in the JAR for this platform
 * (extracted once into the data dir and verified by SHA-256), else cloudflared on PATH.
 */
public final class AgentBinary {
    /** Where the build puts bundled binaries and their manifest ("linux-amd64 = cloudflared-linux-amd64 <sha256>"). */
    static final String BUNDLE = "/cloudflared/";

    /** The binary and where it came from, for the log. */
    public record Resolved(Path path, String source) {}

    private AgentBinary() {
    }

    public static Resolved resolve(Path configured, Path dataDir, String pathVariable) {
        if (configured != null) {
            if (!Files.isRegularFile(configured)) {
                throw new ConfigException("cloudflared " + configured + (Files.isDirectory(configured)
                        ? " is a directory: name the binary in it" : " does not exist") + " (fix tunnel.cloudflared /"
                        + " --cloudflared, or leave it empty to use a bundled agent or cloudflared on PATH)");
            }
            if (!Files.isExecutable(configured)) {
                throw new ConfigException("cloudflared " + configured + " is not executable (chmod +x it)");
            }
            return new Resolved(configured.toAbsolutePath(), "tunnel.cloudflared");
        }
        Resolved bundled = extractBundled(BUNDLE, dataDir);
        if (bundled != null) {
            return bundled;
        }
        Path onPath = searchPath(pathVariable);
        if (onPath != null) {
            return new Resolved(onPath, "PATH");
        }
        throw new ConfigException("no cloudflared found: pass --cloudflared PATH (or set tunnel.cloudflared),"
                + " put cloudflared on PATH (https://github.com/cloudflare/cloudflared/releases), or use a"
                + " haflare-node.jar built with a bundled agent; --no-tunnel serves the site without one");
    }

    /** "linux-amd64", "windows-amd64", "darwin-arm64" ... as cloudflared names its release files. */
    public static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String osName = os.startsWith("windows") ? "windows" : os.startsWith("mac") ? "darwin" : "linux";
        String archName = switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            default -> arch.startsWith("arm") ? "arm" : arch;
        };
        return osName + "-" + archName;
    }

    /** The bundled agent for this platform, extracted and verified; null when the JAR has none. */
    static Resolved extractBundled(String bundle, Path dataDir) {
        Properties manifest = new Properties();
        try (InputStream in = AgentBinary.class.getResourceAsStream(bundle + "manifest.properties")) {
            if (in == null) {
                return null;
            }
            manifest.load(in);
        } catch (IOException e) {
            throw new ConfigException("cannot read the bundled agent manifest: " + e.getMessage());
        }
        String entry = manifest.getProperty(platform());
        if (entry == null) {
            return null;
        }
        String[] parts = entry.strip().split("\\s+");
        String resource = bundle + parts[0];
        String expected = parts[1].toLowerCase(Locale.ROOT);
        Path target = dataDir.resolve("agent").resolve(expected.substring(0, 16))
                .resolve(platform().startsWith("windows") ? "cloudflared.exe" : "cloudflared");
        try {
            if (Files.isRegularFile(target) && expected.equals(sha256(target))) {
                return new Resolved(target, "bundled " + parts[0] + ", extracted earlier");
            }
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), "cloudflared", ".tmp");
            try (InputStream in = AgentBinary.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new ConfigException("the bundled agent manifest names " + resource + " but the JAR lacks it:"
                            + " the JAR is damaged, download it again");
                }
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            String actual = sha256(tmp);
            if (!expected.equals(actual)) {
                Files.deleteIfExists(tmp);
                throw new ConfigException("bundled cloudflared " + parts[0] + " failed its SHA-256 check (expected "
                        + expected + ", got " + actual + "): the JAR is damaged or was tampered with;"
                        + " download it again or pass --cloudflared PATH");
            }
            tmp.toFile().setExecutable(true, true);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Resolved(target, "bundled " + parts[0] + ", verified by SHA-256");
        } catch (IOException e) {
            throw new ConfigException("cannot extract the bundled cloudflared into " + target.getParent() + ": "
                    + e.getMessage() + " (set node.dataDir / --data-dir to a writable directory)");
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path searchPath(String pathVariable) {
        if (pathVariable == null) {
            return null;
        }
        boolean windows = platform().startsWith("windows");
        for (String dir : pathVariable.split(java.io.File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir, windows ? "cloudflared.exe" : "cloudflared");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        return null;
    }

    /** The agent's own --version line, for the log; a failure here is reported, not fatal. */
    public static String version(Path binary) {
        try {
            Process p = new ProcessBuilder(List.of(binary.toString(), "--version")).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "--version did not answer within 10 s";
            }
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "--version printed nothing (exit " + p.exitValue() + ")"
                    : text.lines().findFirst().orElse(text);
        } catch (IOException e) {
            throw new ConfigException("cannot run " + binary + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "--version interrupted";
        }
    }

    /** What cloudflared's --version prints first: "cloudflared version 2025.5.0 (built ...)". */
    public static boolean isCloudflaredVersion(String versionLine) {
        return versionLine.startsWith("cloudflared version ");
    }
}
