package io.haflare.server.files;

/**
 * Evaluates conditional request headers in the order RFC 9110 §13.2.2 prescribes.
 * Dates are whole epoch seconds (HTTP dates have no finer resolution); null means the header is absent
 * or not a valid date, which the RFC says to ignore. So is an If-Modified-Since later than now (§13.1.3): a
 * client whose clock runs ahead would otherwise be told that a file changed since is not modified.
 */
public final class Preconditions {
    /** What to do with the request. */
    public enum Outcome { PROCEED, NOT_MODIFIED, PRECONDITION_FAILED }

    private Preconditions() {
    }

    public static Outcome evaluate(boolean getOrHead, String etag, long lastModifiedSeconds, String ifMatch,
                                   Long ifUnmodifiedSince, String ifNoneMatch, Long ifModifiedSince, long nowSeconds) {
        if (ifMatch != null) {
            if (!EntityTags.matchesStrong(ifMatch, etag)) {
                return Outcome.PRECONDITION_FAILED;
            }
        } else if (ifUnmodifiedSince != null && lastModifiedSeconds > ifUnmodifiedSince) {
            return Outcome.PRECONDITION_FAILED;
        }
        if (ifNoneMatch != null) {
            if (EntityTags.matchesWeak(ifNoneMatch, etag)) {
                return getOrHead ? Outcome.NOT_MODIFIED : Outcome.PRECONDITION_FAILED;
            }
        } else if (getOrHead && ifModifiedSince != null && ifModifiedSince <= nowSeconds
                && lastModifiedSeconds <= ifModifiedSince) {
            return Outcome.NOT_MODIFIED;
        }
        return Outcome.PROCEED;
    }
}
