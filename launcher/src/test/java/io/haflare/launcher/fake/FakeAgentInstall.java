package io.haflare.launcher.fake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/** Puts an executable `cloudflared` (a script that execs the fake on this test classpath) into a directory. */
public final class FakeAgentInstall {
    /** A token of the shape the dashboard hands out; the secret is a marker tests search for in logs and argv. */
    public static final String SECRET = "c2VjcmV0LXNob3VsZC1uZXZlci1sZWFr";
    public static final String TOKEN = Base64.getEncoder().encodeToString(("{\"a\":\"0123456789abcdef0123456789abcdef\","
            + "\"t\":\"6ff42ae2-765d-4adf-8112-31c55c1551ef\",\"s\":\"" + SECRET + "\"}").getBytes());

    private FakeAgentInstall() {
    }

    /**
     * Written beside and renamed into place: an agent started from an earlier install may still be reading the
     * script, and rewriting it in place would hand that shell an empty file (it exits 0 at once, having run
     * nothing; seen in EdgeSimulatorTest, which installs once per agent).
     */
    public static Path create(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path script = dir.resolve("cloudflared");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path next = Files.createTempFile(dir, "cloudflared", ".new");
        Files.writeString(next, "#!/bin/sh\nexec '" + java + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto"
                + " -cp '" + System.getProperty("java.class.path") + "' " + FakeCloudflared.class.getName() + " \"$@\"\n");
        Files.setPosixFilePermissions(next, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(next, script, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return script;
    }
}
