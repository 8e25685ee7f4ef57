package io.haflare.launcher;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LogFormatTest extends FakeAgentFixture {
    static final String JSON_LINE =
            "\\{\"time\":\"[0-9T:.\\-]+Z\",\"level\":\"(INF|WRN|ERR|DBG|FTL)\",\"component\":\"[a-z]+\",\"message\":\".*\"}";

    @Test
    void jsonLogsCarryTimeLevelComponentAndMessageForTheNodeAndTheAgent() throws Exception {
        NodeProcess node = node(Map.of(), "--log-format", "json");
        await().atMost(STARTUP).until(() -> edge.connections() == 4);
        node.awaitLog("agent connected", STARTUP);
        List<String> lines = node.stderr();
        assertThat(lines).isNotEmpty().allMatch(line -> line.matches(JSON_LINE), "every line is one JSON object");
        assertThat(lines).anyMatch(l -> l.contains("\"component\":\"agent\"") && l.contains("Registered tunnel connection"))
                .anyMatch(l -> l.contains("\"component\":\"supervisor\""))
                .anyMatch(l -> l.contains("\"component\":\"server\""));
    }

    @Test
    void anUnknownFormatIsAConfigurationError() {
        NodeProcess node = node(Map.of(), "--log-format", "xml");
        assertThat(node.awaitExit(java.time.Duration.ofSeconds(20))).isEqualTo(2);
        assertThat(node.errText()).contains("flag --log-format: bad value for 'node.logFormat': 'xml' is not one of text, json");
    }
}
