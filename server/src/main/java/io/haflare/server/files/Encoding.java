package io.haflare.server.files;

/** A content coding the server can offer, in the server's order of preference, with its sibling suffix. */
public enum Encoding {
    BR("br", ".br"),
    ZSTD("zstd", ".zst"),
    GZIP("gzip", ".gz"),
    IDENTITY("identity", "");

    private final String token;
    private final String suffix;

    Encoding(String token, String suffix) {
        this.token = token;
        this.suffix = suffix;
    }

    /** The Accept-Encoding / Content-Encoding token. */
    public String token() {
        return token;
    }

    /** The suffix of a precompressed sibling file ("index.html.br"). */
    public String suffix() {
        return suffix;
    }
}
