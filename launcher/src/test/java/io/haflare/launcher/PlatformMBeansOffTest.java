package io.haflare.launcher;

import io.undertow.Undertow;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** In a child JVM, since the switch is process-wide: XNIO starts without the platform MBean server. */
class PlatformMBeansOffTest {
    /** Child: sets the switch unless asked otherwise, starts Undertow, reports whether JMX is there. */
    public static void main(String[] args) {
        PlatformMBeansOff.unlessAsked();
        Undertow server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(exchange -> { }).build();
        server.start();
        System.out.println("undertow started");
        server.stop();
        try {
            ManagementFactory.getPlatformMBeanServer();
            System.out.println("jmx on");
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            System.out.println("jmx off: " + root.getMessage());
        }
    }

    private static String child(String... jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), PlatformMBeansOffTest.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void xnioStartsWithoutJmxAndSaysHowToTurnItOn() throws Exception {
        String out = child();
        assertThat(out).contains("undertow started")
                .contains("jmx off: JMX is off in haflare-node; start java with -Djavax.management.builder.initial= to turn it on");
    }

    @Test
    void anEmptyBuilderPropertyBringsJmxBack() throws Exception {
        assertThat(child("-Djavax.management.builder.initial=")).contains("undertow started").contains("jmx on");
    }
}
