package io.haflare.server.files;

import org.junit.jupiter.api.Test;

import static io.haflare.server.files.Preconditions.Outcome.NOT_MODIFIED;
import static io.haflare.server.files.Preconditions.Outcome.PRECONDITION_FAILED;
import static io.haflare.server.files.Preconditions.Outcome.PROCEED;
import static org.assertj.core.api.Assertions.assertThat;

class PreconditionsTest {
    static final String ETAG = "\"5f-10\"";
    static final long MODIFIED = 1_700_000_000L;
    static final long NOW = MODIFIED + 3600;

    Preconditions.Outcome eval(String ifMatch, Long ius, String inm, Long ims) {
        return Preconditions.evaluate(true, ETAG, MODIFIED, ifMatch, ius, inm, ims, NOW);
    }

    @Test
    void noConditionsProceed() {
        assertThat(eval(null, null, null, null)).isEqualTo(PROCEED);
    }

    @Test
    void ifNoneMatchComparesWeakly() {
        assertThat(eval(null, null, ETAG, null)).isEqualTo(NOT_MODIFIED);
        assertThat(eval(null, null, "W/" + ETAG, null)).isEqualTo(NOT_MODIFIED);
        assertThat(eval(null, null, "\"a\", " + ETAG, null)).isEqualTo(NOT_MODIFIED);
        assertThat(eval(null, null, "\"a\"", null)).isEqualTo(PROCEED);
    }

    @Test
    void ifNoneMatchOverridesIfModifiedSince() {
        assertThat(eval(null, null, "\"a\"", MODIFIED)).isEqualTo(PROCEED);
    }

    @Test
    void ifModifiedSinceUsesWholeSeconds() {
        assertThat(eval(null, null, null, MODIFIED)).isEqualTo(NOT_MODIFIED);
        assertThat(eval(null, null, null, MODIFIED + 10)).isEqualTo(NOT_MODIFIED);
        assertThat(eval(null, null, null, MODIFIED - 1)).isEqualTo(PROCEED);
    }

    /** RFC 9110 §13.1.3: a date later than the server's time is invalid, so the file is sent. */
    @Test
    void ifModifiedSinceInTheFutureIsIgnored() {
        assertThat(eval(null, null, null, NOW)).isEqualTo(NOT_MODIFIED);
        assertThat(eval(null, null, null, NOW + 1)).isEqualTo(PROCEED);
    }

    @Test
    void ifMatchComparesStronglyAndFailsWith412() {
        assertThat(eval(ETAG, null, null, null)).isEqualTo(PROCEED);
        assertThat(eval("*", null, null, null)).isEqualTo(PROCEED);
        assertThat(eval("W/" + ETAG, null, null, null)).isEqualTo(PRECONDITION_FAILED);
        assertThat(eval("\"a\"", null, null, null)).isEqualTo(PRECONDITION_FAILED);
    }

    @Test
    void ifUnmodifiedSinceFailsWhenModifiedLater() {
        assertThat(eval(null, MODIFIED - 1, null, null)).isEqualTo(PRECONDITION_FAILED);
        assertThat(eval(null, MODIFIED, null, null)).isEqualTo(PROCEED);
        // If-Match present: If-Unmodified-Since is ignored
        assertThat(eval(ETAG, MODIFIED - 1, null, null)).isEqualTo(PROCEED);
    }

    @Test
    void ifNoneMatchOnOtherMethodsIs412() {
        assertThat(Preconditions.evaluate(false, ETAG, MODIFIED, null, null, ETAG, null, NOW)).isEqualTo(PRECONDITION_FAILED);
    }
}
