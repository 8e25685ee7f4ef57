package io.haflare.dist;

import io.haflare.launcher.cli.RunCommand;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import picocli.CommandLine;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** windows/haflare-node.xml (WinSW) and its install script: valid, restarting, stopping gently, in step with the launcher. */
class WindowsServiceTest {
    static final Path XML = Path.of("windows", "haflare-node.xml");
    static final Path INSTALL = Path.of("windows", "install.ps1");

    private static Element service() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = factory.newDocumentBuilder().parse(XML.toFile());
        return doc.getDocumentElement();
    }

    private static String text(Element root, String tag) {
        return root.getElementsByTagName(tag).item(0).getTextContent().strip();
    }

    /** The arguments as Windows splits them: quoted parts keep their spaces. */
    static List<String> split(String arguments) {
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(arguments);
        while (m.find()) {
            words.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return words;
    }

    @Test
    void isAWinswServiceThatRestartsOnFailureAndGivesTheAgentTimeToDrain() throws Exception {
        Element root = service();
        assertThat(root.getTagName()).isEqualTo("service");
        assertThat(text(root, "id")).isEqualTo("haflare-node");
        assertThat(text(root, "executable")).isEqualTo("java");
        assertThat(root.getElementsByTagName("onfailure").getLength()).isGreaterThanOrEqualTo(1);
        assertThat(((Element) root.getElementsByTagName("onfailure").item(0)).getAttribute("action")).isEqualTo("restart");
        Matcher stop = Pattern.compile("(\\d+) sec").matcher(text(root, "stoptimeout"));
        assertThat(stop.matches()).isTrue();
        assertThat(Integer.parseInt(stop.group(1))).as("agent grace 30 s + 5 s + 10 s for in-flight requests").isGreaterThan(45);
        assertThat(text(root, "stopparentprocessfirst")).isEqualTo("true");
        Element log = (Element) root.getElementsByTagName("log").item(0);
        assertThat(log.getAttribute("mode")).isEqualTo("roll-by-size");
        assertThat(text(log, "keepFiles")).isNotEmpty();
    }

    @Test
    void itsArgumentsAreFlagsTheLauncherHasAndPathsTheInstallScriptCreates() throws Exception {
        List<String> args = split(text(service(), "arguments"));
        int jar = args.indexOf("-jar");
        assertThat(args.get(jar + 1)).isEqualTo("%BASE%\\haflare-node.jar");
        assertThat(args.get(jar + 2)).isEqualTo("run");
        CommandLine.Model.CommandSpec run = new CommandLine(new RunCommand(Path.of(""), Map.of())).getCommandSpec();
        List<String> flags = args.subList(jar + 3, args.size()).stream().filter(a -> a.startsWith("--")).toList();
        assertThat(flags).containsExactly("--config", "--token-file", "--data-dir");
        for (String flag : flags) {
            assertThat(run.findOption(flag)).as("the launcher's run command has " + flag).isNotNull();
        }
        assertThat(args).doesNotContain("--token");
        String install = Files.readString(INSTALL);
        assertThat(args).contains("%ProgramData%\\haflare-node\\haflare.yml", "%ProgramData%\\haflare-node\\tunnel-token",
                "%ProgramData%\\haflare-node\\state");
        assertThat(install).contains("$data = Join-Path $env:ProgramData 'haflare-node'")
                .contains("Join-Path $data 'haflare.yml'").contains("Join-Path $data 'tunnel-token'")
                .contains("(Join-Path $data 'state')").contains("haflare-node.exe') install")
                .contains("icacls $token /inheritance:r");
    }
}
