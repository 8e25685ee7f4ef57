#!/usr/bin/env bash
# `mvn -B package -Pinstallers` runs this after the fat JAR is built. Into dist/target it puts:
#   runtime/                          the minimal Java runtime (jlink, modules found by jdeps)
#   haflare-node-VERSION-linux-ARCH.tar.gz   the runtime + JAR + bin/haflare-node script (+ unit, config)
#   jpackage/haflare-node/            the jpackage app-image (native launcher, same runtime)
#   haflare-node_VERSION_ARCH.deb     the image under /opt/haflare-node, /usr/bin/haflare-node, the
#                                     systemd unit, /etc/haflare-node/haflare.yml, the haflare user
#   haflare-node-VERSION.rpm          when rpmbuild is present (jpackage --type rpm, app-image only)
# Each start maps its classes from a class-data-sharing archive (AppCDS) built where the JAR is installed
# (the archive records the JAR's path): by the .deb's postinst, by the tarball's first start.
#   usage: installers.sh TARGET_DIR VERSION
set -euo pipefail
dist=$(cd "$(dirname "$0")/.." && pwd)
target=$(cd "$1" && pwd)
version=$2
jar=$target/haflare-node.jar
arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
case "$arch" in amd64) jarch=x64 ;; arm64) jarch=aarch64 ;; *) jarch=$arch ;; esac
deb_version=${version/-/\~}          # 0.1.0-SNAPSHOT sorts before 0.1.0 as 0.1.0~SNAPSHOT
# SerialGC, small stacks and a bounded initial heap: a static-file server needs neither G1's pause goals nor
# 1 MB stacks, and its files live off-heap; the default initial heap (1/64 of RAM) alone costs ~100 MB of
# resident memory once start-up has touched it. -Xshare:auto: a missing or foreign class-data archive is skipped without a word.
# -XX:-UsePerfData: no memory-mapped statistics file in /tmp, which the JVM writes to at every safepoint (a
# slow /tmp then stalls them) and which costs ~1 MB resident; jcmd still works, jps and jstat no longer list it.
# The Tier3 thresholds, ten times the defaults: C1 compiles a method after 2,000 calls rather than 200, so
# start-up code that runs a few hundred times is not compiled on the one CPU it starts on (start 285 -> 240 ms,
# ~2 MB less resident); code that serves requests reaches those counts within milliseconds under load.
# -Xmn32m: a young generation of 32 MB rather than the 5 MB a 16 MB heap gets. A cache hit leaves about 2 KB of
# garbage, so under full load the small one was collected 30 times a second (0.4 ms each); with 32 MB it is
# 5 times, for 3 % more requests a second and a lower p90/p95 (bench/serve-vs-nginx.sh's articles, 16 paired
# runs). Idle memory barely moves (start-up leaves ~7 MB of garbage, touched whatever eden's size); memory under
# load grows by the eden's 26 MB. -Xms48m holds it plus a first old generation, touched only as it fills.
JVM_OPTIONS=(-XX:+UseSerialGC -Xss512k -Xms48m -Xmn32m -XX:-UsePerfData -Xshare:auto
  -XX:Tier3InvocationThreshold=2000 -XX:Tier3MinInvocationThreshold=1000 -XX:Tier3CompileThreshold=20000
  -XX:Tier3BackEdgeThreshold=600000)

step() { echo "[installers] $*"; }

# --- 1. jlink: the modules jdeps finds in the JAR's classes, less two that only code paths the node never
# runs reach (snakeyaml's JavaBean binding: java.desktop; jackson's java.sql.Date support: java.sql)
rm -rf "$target/runtime" "$target/image" "$target/jpackage" "$target/deb-root" "$target/exploded"
mkdir -p "$target/exploded"
(cd "$target/exploded" && jar xf "$jar" && rm -rf META-INF/versions META-INF/MANIFEST.MF)
modules=$(jdeps --multi-release 17 --ignore-missing-deps --print-module-deps "$target/exploded" \
  | tr ',' '\n' | grep -vx -e java.desktop -e java.sql | paste -sd, -)
modules="$modules,java.logging"   # JBoss Logging falls back to java.util.logging, found by name at run time
rm -rf "$target/exploded"
step "modules: $modules"
jlink --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=2 --output "$target/runtime"
step "runtime: $(du -sh "$target/runtime" | cut -f1)"
# glibc keeps what the JIT compilers freed after start-up (~3 MB resident at idle) until asked to trim;
# 17.0.9 and later can ask every second. Only when this runtime knows the flag: an unknown one stops the JVM.
if "$target/runtime/bin/java" -XX:TrimNativeHeapInterval=1000 -version >/dev/null 2>&1; then
  JVM_OPTIONS+=(-XX:TrimNativeHeapInterval=1000)
fi

# --- 2. the class list: the classes a real start loads, recorded from the JAR on the new runtime. It starts the
# way a service does (`run`, local mode, admin API on, an access log), serves a small site shaped like a Hugo build, and
# answers the requests visitors and probes make first: a page, a stylesheet (plain and gzip), a clean-URL
# redirect, a 404, /health, /status and /metrics.
classlist=$target/haflare-node.classlist
log=$target/training.log
training_dir=$target/training
rm -rf "$training_dir" && mkdir -p "$training_dir/site/about" "$training_dir/site/css" "$training_dir/data"
printf '<!doctype html><title>home</title><link rel=stylesheet href=/css/main.css><p>%s</p>\n' "$(printf 'word %.0s' $(seq 300))" \
  > "$training_dir/site/index.html"
cp "$training_dir/site/index.html" "$training_dir/site/about/index.html"
printf '<!doctype html><title>not found</title>\n' > "$training_dir/site/404.html"
printf 'body { margin: 0 auto; max-width: 40em }\n%.0s' $(seq 100) > "$training_dir/site/css/main.css"
gzip -9 -k "$training_dir/site/css/main.css"
printf '/old /about/ 301\n' > "$training_dir/site/_redirects"
cd "$training_dir" # no ./haflare.yml of the working directory may change the run
"$target/runtime/bin/java" -XX:DumpLoadedClassList="$classlist" -XX:+UseSerialGC -jar "$jar" run \
  --site site --listen 127.0.0.1:0 --admin 127.0.0.1:0 --data-dir data --access-log access.log 2>"$log" &
training=$!
port= admin=
for _ in $(seq 1 200); do
  port=$(sed -n 's|.*serving .* on http://127.0.0.1:\([0-9]*\).*|\1|p' "$log")
  admin=$(sed -n 's|.*admin API on http://127.0.0.1:\([0-9]*\).*|\1|p' "$log")
  [ -n "$port" ] && [ -n "$admin" ] && break
  sleep 0.05
done
[ -n "$port" ] && [ -n "$admin" ] || { echo "installers.sh: the training run did not start: $(cat "$log")" >&2; exit 1; }
fetch() { # fetch PORT PATH [HEADER]: one HTTP/1.1 request, the answer discarded
  exec 3<>"/dev/tcp/127.0.0.1/$1"
  printf 'GET %s HTTP/1.1\r\nHost: localhost\r\n%bConnection: close\r\n\r\n' "$2" "${3:+$3\r\n}" >&3
  cat <&3 >/dev/null
  exec 3>&-
}
for path in / /css/main.css /old /about /about/ /missing; do fetch "$port" "$path"; done
fetch "$port" /css/main.css 'Accept-Encoding: gzip'
fetch "$port" / 'If-None-Match: "x"'
for path in /health /status /metrics; do fetch "$admin" "$path"; done
kill -TERM "$training" 2>/dev/null || { echo "installers.sh: the training run of the JAR on the new runtime failed" >&2; exit 1; }
wait "$training" || true
cd "$target"
rm -rf "$training_dir"
step "class list: $(wc -l < "$classlist") classes"

# --- 3. the image (tarball): bin/haflare-node runs the JAR on the bundled runtime
image=$target/image/haflare-node
mkdir -p "$image/bin" "$image/lib" "$image/systemd"
cp -a "$target/runtime" "$image/runtime"
cp "$jar" "$classlist" "$image/lib/"
cp "$dist/systemd/haflare-node.service" "$image/systemd/"
cp "$dist/config/haflare.yml" "$image/haflare.yml.example"
cat > "$image/bin/haflare-node" <<SCRIPT
#!/bin/sh
# haflare-node on its bundled runtime. JAVA_OPTS adds JVM options.
here=\$(cd "\$(dirname "\$(readlink -f "\$0")")/.." && pwd)
jsa=\$here/lib/haflare-node.jsa
if [ ! -f "\$jsa" ] && [ -w "\$here/lib" ]; then
  # first start from this place: the class-data-sharing archive records the JAR's path, so it is built here
  "\$here/runtime/bin/java" -Xshare:dump -XX:SharedClassListFile="\$here/lib/haflare-node.classlist" \\
    -XX:SharedArchiveFile="\$jsa" -XX:+UseSerialGC -cp "\$here/lib/haflare-node.jar" >/dev/null 2>&1 || rm -f "\$jsa"
fi
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
exec "\$here/runtime/bin/java" ${JVM_OPTIONS[*]} -XX:SharedArchiveFile="\$jsa" \$JAVA_OPTS \\
  -jar "\$here/lib/haflare-node.jar" "\$@"
SCRIPT
chmod 755 "$image/bin/haflare-node"
tarball=$target/haflare-node-$version-linux-$jarch.tar.gz
tar -C "$target/image" --owner=0 --group=0 --numeric-owner -czf "$tarball" haflare-node
step "tarball: $tarball ($(du -h "$tarball" | cut -f1))"

# --- 4. jpackage app-image: a native launcher over the same runtime
input=$target/jpackage-input
rm -rf "$input"
mkdir -p "$input"
cp "$jar" "$classlist" "$input/"
java_options=()
# jpackage's launcher names the main class rather than running the JAR, so the manifest's Add-Opens (for
# io.haflare.server.net.FairSelectorProvider) has to be given here
for option in "${JVM_OPTIONS[@]}" '-XX:SharedArchiveFile=$APPDIR/haflare-node.jsa' --add-opens=java.base/sun.nio.ch=ALL-UNNAMED; do
  java_options+=(--java-options "$option")
done
jpackage --type app-image --name haflare-node --app-version "${version%%-*}" --vendor "haflare-node" \
  --description "Active-active high availability for static websites over Cloudflare Tunnel" \
  --input "$input" --main-jar haflare-node.jar --main-class io.haflare.launcher.HaflareNode \
  --runtime-image "$target/runtime" "${java_options[@]}" --dest "$target/jpackage"
step "app-image: $target/jpackage/haflare-node"

# --- 5. the .deb: the app-image in /opt, plus what makes it a service
root=$target/deb-root
mkdir -p "$root/opt" "$root/usr/bin" "$root/lib/systemd/system" "$root/etc/haflare-node" "$root/etc/logrotate.d" \
  "$root/usr/share/doc/haflare-node" "$root/DEBIAN"
# the image, not the jpackage app-image: jpackage's native launcher runs `rpm -qf`, `dpkg -S` and `dpkg -L` at
# every start to find its own library (120 ms here, more with more packages), the script runs nothing
cp -a "$image" "$root/opt/haflare-node"
rm -f "$root/opt/haflare-node/lib/haflare-node.jsa"   # made by the image's own first start, for its path
ln -s /opt/haflare-node/bin/haflare-node "$root/usr/bin/haflare-node"
install -m 0644 "$dist/systemd/haflare-node.service" "$root/lib/systemd/system/haflare-node.service"
install -m 0644 "$dist/config/haflare.yml" "$root/etc/haflare-node/haflare.yml"
install -m 0644 "$dist/deb/logrotate" "$root/etc/logrotate.d/haflare-node"
install -m 0644 "$dist/../README.md" "$root/usr/share/doc/haflare-node/README.md"
install -m 0644 "$dist/deb/conffiles" "$root/DEBIAN/conffiles"
install -m 0755 "$dist/deb/postinst" "$dist/deb/prerm" "$dist/deb/postrm" "$root/DEBIAN/"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$deb_version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" "$dist/deb/control" > "$root/DEBIAN/control"
deb=$target/haflare-node_${deb_version}_$arch.deb
fakeroot dpkg-deb --build -Zxz "$root" "$deb" >/dev/null
step "deb: $deb ($(du -h "$deb" | cut -f1))"

# --- 6. an .rpm where rpmbuild exists (not on Debian CI)
if command -v rpmbuild >/dev/null 2>&1; then
  jpackage --type rpm --app-image "$target/jpackage/haflare-node" --name haflare-node \
    --app-version "${version%%-*}" --install-dir /opt --dest "$target"
  step "rpm: $(ls "$target"/*.rpm)"
else
  step "rpm: skipped (no rpmbuild)"
fi
