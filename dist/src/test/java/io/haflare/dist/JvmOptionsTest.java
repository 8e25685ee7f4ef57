package io.haflare.dist;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JVM options live in three launchers that cannot share a file (the packaged image's generated script,
 * the plain-JAR script, the WinSW definition); this keeps them in step.
 */
class JvmOptionsTest {
    private static final Path INSTALLERS = Path.of("build", "installers.sh");
    private static final Path PLAIN_JAR = Path.of("bin", "haflare-node");

    /** installers.sh's JVM_OPTIONS=( ... ), less -Xshare:auto: only the packaged image ships an archive. */
    private static List<String> packaged() throws Exception {
        Matcher m = Pattern.compile("(?m)^JVM_OPTIONS=\\(([^)]*)\\)").matcher(Files.readString(INSTALLERS));
        assertThat(m.find()).as("JVM_OPTIONS=( ... ) in " + INSTALLERS).isTrue();
        return options(m.group(1)).stream().filter(o -> !o.equals("-Xshare:auto")).toList();
    }

    private static List<String> options(String text) {
        return Arrays.stream(text.split("\\s+")).filter(word -> word.startsWith("-X")).toList();
    }

    @Test
    void thePlainJarLauncherRunsTheJvmAsThePackagedOneDoes() throws Exception {
        String exec = Files.readString(PLAIN_JAR).replace("\\\n", " ");
        String beforeJar = exec.substring(exec.indexOf("exec "), exec.indexOf("$JAVA_OPTS"));
        assertThat(options(beforeJar)).containsExactlyElementsOf(packaged());
    }

    @Test
    void theWindowsServiceRunsTheJvmAsThePackagedLauncherDoes() throws Exception {
        String arguments = Files.readString(WindowsServiceTest.XML).replaceAll("(?s).*<arguments>(.*?)</arguments>.*", "$1");
        assertThat(options(arguments.substring(0, arguments.indexOf(" -jar ")))).containsExactlyElementsOf(packaged());
    }
}
