package io.voidrail.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.voidrail.ErrorCode;

/** docs/PROTOCOL.md covers what the code speaks, and its links stay inside the repository. */
class ProtocolDocumentTests {

    private static final Path DOCUMENT = Path.of("../docs/PROTOCOL.md");

    @Test
    void everyMessageTypeErrorCodeAndCapabilityIsDescribed() throws IOException {
        String text = Files.readString(DOCUMENT);
        for (MessageType type : MessageType.values()) {
            assertThat(text).as(type.name()).contains("\"" + type.token() + "\"");
        }
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(text).as(code.name()).contains("`" + code.name() + "`");
        }
        for (String capability : java.util.stream.Stream.concat(Protocol.routerCapabilities(true).stream(),
                Protocol.DEALER_CAPABILITIES.stream()).toList()) {
            assertThat(text).as(capability).contains("| `" + capability + "` |");
        }
    }

    @Test
    void linksPointToFilesOfTheRepository() throws IOException {
        Matcher links = Pattern.compile("\\]\\(([^)#]+)\\)").matcher(Files.readString(DOCUMENT));
        int count = 0;
        while (links.find()) {
            Path target = DOCUMENT.getParent().resolve(links.group(1)).normalize();
            assertThat(target).as(links.group(1)).exists();
            assertThat(target.toAbsolutePath().startsWith(Path.of("..").toAbsolutePath().normalize())).isTrue();
            count++;
        }
        assertThat(count).isPositive();
    }
}
