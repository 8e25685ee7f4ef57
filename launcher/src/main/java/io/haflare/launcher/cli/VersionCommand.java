package io.haflare.launcher.cli;

import io.haflare.launcher.agent.AgentBinary;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;

/** haflare-node version: this build, its Java, and which agent binaries it bundles. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the version and the bundled agent.")
public final class VersionCommand implements Callable<Integer> {
    @Override
    public Integer call() throws IOException {
        System.out.println("haflare-node " + VersionProvider.version());
        System.out.println("Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
        Properties manifest = new Properties();
        try (InputStream in = VersionCommand.class.getResourceAsStream("/cloudflared/manifest.properties")) {
            if (in != null) {
                manifest.load(in);
            }
        }
        String here = manifest.getProperty(AgentBinary.platform());
        System.out.println(manifest.isEmpty() ? "agent: none bundled (uses --cloudflared or cloudflared on PATH)"
                : "agent: bundled for " + String.join(", ", new java.util.TreeSet<>(manifest.stringPropertyNames()))
                + (here == null ? " (none for " + AgentBinary.platform() + ")" : "; this platform: " + here.split("\\s+")[0]));
        return ExitCodes.OK;
    }
}
