package io.haflare.launcher.config;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    final ConfigLoader loader = new ConfigLoader();
    final Map<ConfigKey, ConfigValue> noFlags = Map.of();

    Path file(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    /** What loading haflare.yml holding yaml throws. */
    AbstractThrowableAssert<?, ? extends Throwable> refused(String yaml) throws Exception {
        Path file = file("haflare.yml", yaml);
        return assertThatThrownBy(() -> loader.load(file, Map.of(), noFlags));
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        NodeConfig c = loader.load(null, Map.of(), noFlags);
        assertThat(c.site().listen()).isEqualTo("127.0.0.1:8080");
        assertThat(c.site().root()).isNull();
        assertThat(c.tunnel().gracePeriod()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.tunnel().restart().initialDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.tunnel().restart().maxDelay()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.health().interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.health().timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.health().failureThreshold()).isEqualTo(3);
        assertThat(c.health().successThreshold()).isEqualTo(2);
        assertThat(c.tunnel().agentArgs()).isEmpty();
    }

    @Test
    void fileThenEnvironmentThenFlagsEachOverride() throws Exception {
        Path file = file("haflare.yml", """
                site:
                  root: /srv/site/current
                  listen: 127.0.0.1:8081
                health:
                  interval: 500ms
                tunnel:
                  gracePeriod: 1m30s
                """);
        Map<ConfigKey, ConfigValue> flags = new EnumMap<>(ConfigKey.class);
        flags.put(ConfigKey.SITE_LISTEN, ConfigValue.of("127.0.0.1:9999", "flag --listen"));
        NodeConfig c = loader.load(file, Map.of("HAFLARE_SITE_LISTEN", "127.0.0.1:8082",
                "HAFLARE_HEALTH_FAILURE_THRESHOLD", "5", "HAFLARE_TUNNEL_AGENT_ARGS", "--edge 127.0.0.1:7844",
                "PATH", "/usr/bin"), flags);
        assertThat(c.site().root()).isEqualTo(Path.of("/srv/site/current"));
        assertThat(c.site().listen()).isEqualTo("127.0.0.1:9999");
        assertThat(c.health().interval()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.health().failureThreshold()).isEqualTo(5);
        assertThat(c.tunnel().gracePeriod()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.tunnel().agentArgs()).containsExactly("--edge", "127.0.0.1:7844");
    }

    @Test
    void jsonFilesWorkToo() throws Exception {
        Path file = file("haflare.json", "{\"site\": {\"accessLog\": \"off\"}}");
        assertThat(loader.load(file, Map.of(), noFlags).site().accessLog()).isEqualTo("off");
    }

    @Test
    void anUnknownKeyNamesTheFileTheLineAndTheKnownKeys() throws Exception {
        refused("site:\n  root: /srv\n  lisen: 127.0.0.1:80\n")
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(dir.resolve("haflare.yml") + " line 3")
                .hasMessageContaining("unknown key 'site.lisen'")
                .hasMessageContaining("listen");
    }

    @Test
    void aBadDurationNamesTheKeyAndTheLine() throws Exception {
        refused("health:\n  path: /\n  interval: soon\n")
                .hasMessageContaining("line 3")
                .hasMessageContaining("health.interval")
                .hasMessageContaining("500ms, 5s, 2m or 1h");
    }

    @Test
    void aBadNumberInTheEnvironmentNamesTheVariableSource() {
        assertThatThrownBy(() -> loader.load(null, Map.of("HAFLARE_HEALTH_FAILURE_THRESHOLD", "many"), noFlags))
                .hasMessageStartingWith("environment")
                .hasMessageContaining("health.failureThreshold");
    }

    @Test
    void anUnknownHaflareVariableIsAnError() {
        assertThatThrownBy(() -> loader.load(null, Map.of("HAFLARE_SITE_LISEN", "x"), noFlags))
                .hasMessageContaining("HAFLARE_SITE_LISEN is not a haflare-node setting")
                .hasMessageContaining("HAFLARE_SITE_LISTEN");
    }

    @Test
    void aMissingFileSaysSo() {
        Path missing = dir.resolve("nope.yml");
        assertThatThrownBy(() -> loader.load(missing, Map.of(), noFlags))
                .hasMessageContaining(missing + " does not exist");
    }

    @Test
    void aFlagWithABadValueNamesTheFlag() {
        Map<ConfigKey, ConfigValue> flags = Map.of(ConfigKey.SITE_GZIP, ConfigValue.of("maybe", "flag --x"));
        assertThatThrownBy(() -> loader.load(null, Map.of(), flags)).hasMessage("flag --x: bad value for 'site.gzip': 'maybe' is not true or false");
    }

    @Test
    void aSectionWhereAValueBelongsIsRefused() throws Exception {
        refused("site:\n  listen:\n    host: x\n").hasMessageContaining("line 2")
                .hasMessageContaining("'site.listen' must be a single value");
    }

    @Test
    void zeroThresholdsAreRefused() throws Exception {
        refused("health:\n  failureThreshold: 0\n").hasMessageContaining("line 2")
                .hasMessageContaining("at least 1");
    }

    @Test
    void aKeySetTwiceInOneFileIsRefused() throws Exception {
        refused("site:\n  listen: 127.0.0.1:8080\n  gzip: true\n  listen: 127.0.0.1:8081\n").hasMessageContaining("line 4")
                .hasMessageContaining("'site.listen' is set twice (first at line 2): keep one");
    }

    @Test
    void aValueWhereASectionBelongsIsRefused() throws Exception {
        refused("site: [1, 2]\n").hasMessageContaining("line 1")
                .hasMessageContaining("'site' is a section: put its keys under it, indented (").hasMessageContaining("listen");
    }

    /** Zero would make the probe or the restarts spin; past a day, a timer's int of milliseconds overflows. */
    @Test
    void pacesAndTimeoutsMustBeAboveZeroAndBelowADay() throws Exception {
        for (String setting : new String[] {"health:\n  interval: 0", "health:\n  recheckInterval: 0ms",
                "health:\n  timeout: 0s", "tunnel:\n  restart:\n    initialDelay: 0"}) {
            refused(setting + "\n").as(setting)
                    .hasMessageContaining("it must be longer than 0");
        }
        refused("health:\n  timeout: 999999h\n").hasMessageContaining("line 2")
                .hasMessageContaining("'999999h' is longer than 24h");
        assertThat(loader.load(file("haflare.yml", "tunnel:\n  gracePeriod: 0\n"), Map.of(), noFlags)
                .tunnel().gracePeriod()).as("stop the agent at once").isZero();
    }

    @Test
    void theRestartBackOffCannotEndBelowWhereItStarts() throws Exception {
        refused("tunnel:\n  restart:\n    initialDelay: 10m\n    maxDelay: 1s\n").hasMessageContaining("line 4")
                .hasMessageContaining("'1s' is shorter than tunnel.restart.initialDelay (10m)");
    }

    @Test
    void aNodeNameIsOneLineAndAPatternMustCompile() throws Exception {
        refused("node:\n  name: \"web-1\\nforged line\"\n").hasMessageContaining("line 2")
                .hasMessageContaining("control character");
        refused("site:\n  cache:\n    fingerprintPattern: '(['\n").hasMessageContaining("line 3")
                .hasMessageContaining("not a valid regular expression: Unclosed character class");
    }

    @Test
    void aCacheControlValueIsOneLineOfHeaderText() throws Exception {
        refused("site:\n  cache:\n    html: \"no-cache\\nSet-Cookie: a=b\"\n").hasMessageContaining("line 3")
                .hasMessageContaining("bad value for 'site.cache.html'")
                .hasMessageContaining("a line break or another character a header cannot carry: write the directives on"
                        + " one line (for example no-cache)");
        refused("site:\n  cache:\n    other: \"max-age=60, é\"\n").hasMessageContaining("'site.cache.other'");
    }

    @Test
    void theHealthPathIsAPathARequestCanCarry() throws Exception {
        refused("health:\n  path: healthz.html\n").hasMessageContaining("line 2")
                .hasMessageContaining("'healthz.html' is not a path on the site: start it with '/'");
        refused("health:\n  path: /my page/\n").hasMessageContaining("line 2")
                .hasMessageContaining("percent-encode it, as a browser would (a space is %20");
        refused("health:\n  path: /café/\n").hasMessageContaining("percent-encode it");
        Path fine = file("haflare.yml", "health:\n  path: /en/?probe=1\n");
        assertThat(loader.load(fine, Map.of(), noFlags).health().path()).isEqualTo("/en/?probe=1");
    }

    @Test
    void malformedYamlNamesTheLine() throws Exception {
        refused("site:\n  root: [unclosed\n").hasMessageContaining(dir.resolve("haflare.yml").toString())
                .hasMessageContaining("line");
    }

    @Test
    void aTabIndentIsNamedWithItsLine() throws Exception {
        refused("# comment\nsite:\n\tlisten: 127.0.0.1:8081\n").hasMessage(dir.resolve("haflare.yml") + " line 3: a tab"
                + " indents this line, and YAML indents with spaces only: replace it with spaces (two per level)");
        Path json = file("haflare.json", "{\n\t\"site\": {\"listen\": \"127.0.0.1:8081\"}\n}\n");
        assertThat(loader.load(json, Map.of(), noFlags).site().listen()).as("tabs are fine in JSON").isEqualTo("127.0.0.1:8081");
    }

    /** Notepad's byte order mark and Windows PowerShell 5's UTF-16 (`Get-Content a.yml > haflare.yml`). */
    @Test
    void aConfigFileSavedByWindowsToolsReads() throws Exception {
        String yaml = "site:\r\n  listen: 127.0.0.1:8082\r\n";
        byte[] utf16 = yaml.getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
        byte[] withMark = new byte[utf16.length + 2];
        withMark[0] = (byte) 0xFF;
        withMark[1] = (byte) 0xFE;
        System.arraycopy(utf16, 0, withMark, 2, utf16.length);
        Path file = dir.resolve("haflare.yml");
        Files.write(file, withMark);
        assertThat(loader.load(file, Map.of(), noFlags).site().listen()).isEqualTo("127.0.0.1:8082");
        Files.write(file, ("\uFEFF" + yaml).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(loader.load(file, Map.of(), noFlags).site().listen()).isEqualTo("127.0.0.1:8082");
    }

    @Test
    void everyDefaultKeyHasAnEnvironmentName() {
        assertThat(ConfigKey.SITE_ACCESS_LOG.envName()).isEqualTo("HAFLARE_SITE_ACCESS_LOG");
        assertThat(ConfigKey.TUNNEL_RESTART_INITIAL_DELAY.envName()).isEqualTo("HAFLARE_TUNNEL_RESTART_INITIAL_DELAY");
    }

    @Test
    void effectiveConfigurationPrintsShortDurations() {
        String yaml = loader.toYaml(loader.load(null, Map.of(), noFlags));
        assertThat(yaml).contains("tunnel:\n").contains("  gracePeriod: 30s\n").contains("  restart:\n    initialDelay: 1s\n")
                .contains("  listen: 127.0.0.1:8080\n").contains("  immutable: public, max-age=31536000, immutable\n")
                .doesNotContain("PT");
        assertThat(List.of(yaml.split("\n"))).noneMatch(l -> l.toLowerCase().contains("token:"));
    }
}
