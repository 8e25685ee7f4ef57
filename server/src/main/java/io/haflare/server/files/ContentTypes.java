package io.haflare.server.files;

import java.util.Locale;
import java.util.Map;

/** Content-Type by file extension for the web's common types; text gets charset=utf-8. */
public final class ContentTypes {
    public static final String UNKNOWN = "application/octet-stream";
    private static final String UTF8 = "; charset=utf-8";

    /**
     * The names static sites serve, with IANA's types (nginx's mime.types where it names one). A wrong type
     * is not harmless under nosniff: a subtitle track must be text/vtt, a sitemap's stylesheet an XSL type,
     * an HLS playlist its own type, or the browser refuses them.
     */
    private static final Map<String, String> TYPES = Map.ofEntries(
            // pages, styles, scripts, data
            Map.entry("html", "text/html" + UTF8),
            Map.entry("htm", "text/html" + UTF8),
            Map.entry("xhtml", "application/xhtml+xml" + UTF8),
            Map.entry("css", "text/css" + UTF8),
            Map.entry("js", "text/javascript" + UTF8),
            Map.entry("mjs", "text/javascript" + UTF8),
            Map.entry("json", "application/json" + UTF8),
            Map.entry("map", "application/json" + UTF8),
            Map.entry("jsonld", "application/ld+json" + UTF8),
            Map.entry("geojson", "application/geo+json" + UTF8),
            Map.entry("webmanifest", "application/manifest+json" + UTF8),
            Map.entry("xml", "application/xml" + UTF8),
            Map.entry("xsl", "application/xslt+xml" + UTF8),
            Map.entry("xslt", "application/xslt+xml" + UTF8),
            Map.entry("rss", "application/rss+xml" + UTF8),
            Map.entry("atom", "application/atom+xml" + UTF8),
            Map.entry("txt", "text/plain" + UTF8),
            Map.entry("md", "text/markdown" + UTF8),
            Map.entry("csv", "text/csv" + UTF8),
            Map.entry("vtt", "text/vtt" + UTF8),
            Map.entry("ics", "text/calendar" + UTF8),
            Map.entry("vcf", "text/vcard" + UTF8),
            Map.entry("tsv", "text/tab-separated-values" + UTF8),
            Map.entry("yaml", "application/yaml" + UTF8),
            Map.entry("yml", "application/yaml" + UTF8),
            Map.entry("shtml", "text/html" + UTF8),
            Map.entry("wasm", "application/wasm"),
            // images
            Map.entry("svg", "image/svg+xml" + UTF8),
            Map.entry("png", "image/png"),
            Map.entry("apng", "image/apng"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("avif", "image/avif"),
            Map.entry("jxl", "image/jxl"),
            Map.entry("heic", "image/heic"),
            Map.entry("heif", "image/heif"),
            Map.entry("bmp", "image/bmp"),
            Map.entry("tif", "image/tiff"),
            Map.entry("tiff", "image/tiff"),
            Map.entry("ico", "image/x-icon"),
            // fonts
            Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("ttf", "font/ttf"),
            Map.entry("otf", "font/otf"),
            Map.entry("eot", "application/vnd.ms-fontobject"),
            Map.entry("ttc", "font/collection"),
            // video, audio, streaming, 3D
            Map.entry("mp4", "video/mp4"),
            Map.entry("m4v", "video/mp4"),
            Map.entry("webm", "video/webm"),
            Map.entry("ogv", "video/ogg"),
            Map.entry("mov", "video/quicktime"),
            Map.entry("mkv", "video/x-matroska"),
            Map.entry("avi", "video/x-msvideo"),
            Map.entry("mpeg", "video/mpeg"),
            Map.entry("mpg", "video/mpeg"),
            Map.entry("3gp", "video/3gpp"),
            Map.entry("3gpp", "video/3gpp"),
            Map.entry("wmv", "video/x-ms-wmv"),
            Map.entry("flv", "video/x-flv"),
            Map.entry("m4s", "video/iso.segment"),
            Map.entry("ts", "video/mp2t"),
            Map.entry("m3u8", "application/vnd.apple.mpegurl"),
            Map.entry("mpd", "application/dash+xml"),
            Map.entry("mp3", "audio/mpeg"),
            Map.entry("m4a", "audio/mp4"),
            Map.entry("aac", "audio/aac"),
            Map.entry("ogg", "audio/ogg"),
            Map.entry("oga", "audio/ogg"),
            Map.entry("opus", "audio/ogg"),
            Map.entry("weba", "audio/webm"),
            Map.entry("wav", "audio/wav"),
            Map.entry("flac", "audio/flac"),
            Map.entry("mid", "audio/midi"),
            Map.entry("midi", "audio/midi"),
            Map.entry("glb", "model/gltf-binary"),
            Map.entry("gltf", "model/gltf+json"),
            Map.entry("stl", "model/stl"),
            // maps and tracks
            Map.entry("gpx", "application/gpx+xml" + UTF8),
            Map.entry("kml", "application/vnd.google-earth.kml+xml" + UTF8),
            Map.entry("kmz", "application/vnd.google-earth.kmz"),
            // documents and downloads
            Map.entry("pdf", "application/pdf"),
            Map.entry("epub", "application/epub+zip"),
            Map.entry("rtf", "application/rtf"),
            Map.entry("doc", "application/msword"),
            Map.entry("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            Map.entry("xls", "application/vnd.ms-excel"),
            Map.entry("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            Map.entry("ppt", "application/vnd.ms-powerpoint"),
            Map.entry("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
            Map.entry("odt", "application/vnd.oasis.opendocument.text"),
            Map.entry("ods", "application/vnd.oasis.opendocument.spreadsheet"),
            Map.entry("odp", "application/vnd.oasis.opendocument.presentation"),
            Map.entry("odg", "application/vnd.oasis.opendocument.graphics"),
            Map.entry("ps", "application/postscript"),
            Map.entry("eps", "application/postscript"),
            Map.entry("ai", "application/postscript"),
            Map.entry("zip", "application/zip"),
            Map.entry("gz", "application/gzip"),
            Map.entry("tgz", "application/gzip"),
            Map.entry("tar", "application/x-tar"),
            Map.entry("bz2", "application/x-bzip2"),
            Map.entry("xz", "application/x-xz"),
            Map.entry("7z", "application/x-7z-compressed"),
            Map.entry("rar", "application/vnd.rar"),
            Map.entry("zst", "application/zstd"),
            Map.entry("jar", "application/java-archive"),
            Map.entry("war", "application/java-archive"),
            Map.entry("xpi", "application/x-xpinstall"),
            Map.entry("torrent", "application/x-bittorrent"),
            // certificates a site publishes
            Map.entry("crt", "application/x-x509-ca-cert"),
            Map.entry("der", "application/x-x509-ca-cert"),
            Map.entry("apk", "application/vnd.android.package-archive"));

    private ContentTypes() {
    }

    public static String forName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0 || dot == fileName.length() - 1) {
            return UNKNOWN;
        }
        return TYPES.getOrDefault(fileName.substring(dot + 1).toLowerCase(Locale.ROOT), UNKNOWN);
    }

    /** Types worth gzipping on the fly: text formats, not already-compressed media. */
    public static boolean isCompressible(String contentType) {
        return contentType.startsWith("text/")
                || contentType.startsWith("application/json")
                || contentType.startsWith("application/xml")
                || contentType.contains("+xml")
                || contentType.contains("+json")
                || contentType.equals("application/wasm")
                || contentType.equals("application/rtf")
                || contentType.startsWith("application/yaml")
                || contentType.equals("application/postscript")
                || contentType.equals("font/collection")
                || contentType.equals("model/stl")
                || contentType.equals("application/vnd.apple.mpegurl")
                || contentType.equals("application/vnd.ms-fontobject")
                || contentType.equals("font/ttf")
                || contentType.equals("font/otf")
                || contentType.equals("image/bmp")
                || contentType.equals("image/x-icon");
    }
}
