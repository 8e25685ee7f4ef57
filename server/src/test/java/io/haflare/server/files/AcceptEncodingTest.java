package io.haflare.server.files;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.EnumSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AcceptEncodingTest {
    static final Set<Encoding> ALL = EnumSet.allOf(Encoding.class);
    static final Set<Encoding> GZIP_ONLY = EnumSet.of(Encoding.GZIP, Encoding.IDENTITY);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "gzip, deflate, br, zstd|BR",
        "gzip|GZIP",
        "GZIP|GZIP",
        "x-gzip|GZIP",
        "br;q=0.5, gzip;q=0.8|GZIP",
        "br;q=0.5, zstd;q=0.9, gzip;q=0.1|ZSTD",
        "br;q=0, gzip;q=0|IDENTITY",
        "*|BR",
        "*;q=0.5, br;q=0|ZSTD",
        "identity|IDENTITY",
        "deflate|IDENTITY",
        "''|IDENTITY",
        "identity;q=0, *;q=0|NULL",
        "gzip;q=1.5, br;q=0.9|GZIP",
        "br;q=bogus, gzip|GZIP",
    })
    void choosesByQValueThenServerPreference(String header, String expected) {
        Encoding chosen = AcceptEncoding.choose(header, ALL);
        assertThat(chosen == null ? "NULL" : chosen.name()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"br|IDENTITY", "br, gzip|GZIP", "zstd;q=1, gzip;q=0.1|GZIP"})
    void onlyChoosesWhatExists(String header, Encoding expected) {
        assertThat(AcceptEncoding.choose(header, GZIP_ONLY)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"IDENTITY"})
    void noHeaderMeansIdentity(Encoding expected) {
        assertThat(AcceptEncoding.choose(null, ALL)).isEqualTo(expected);
    }
}
