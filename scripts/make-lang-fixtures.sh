#!/usr/bin/env bash
# Regenerates crates/palisade-inventory/fixtures/lang/ with the real package managers.
# Usage: scripts/make-lang-fixtures.sh [python] [node] [rust] [go] [java] [ruby] [php]
# Only metadata is kept (METADATA, package.json, lockfiles, gemspecs): no package code, so
# the fixtures stay small. Next to each tree, expected-*.json holds what the package
# manager itself reports (pip list, npm ls, cargo metadata, ...); tests compare against it.
# Needs: python3 + pip, node + npm, cargo, go (Debian golang-go), a JDK (jar), ruby + bundler,
# php + composer. Network: PyPI, npm and crates.io only (Go/Maven/Ruby/PHP work offline).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
FIX="$ROOT/crates/palisade-inventory/fixtures/lang"
WORK="$(mktemp -d /tmp/lang-fixtures.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
NPM_REG=https://registry.npmjs.org/

python_fixtures() {
  local out="$FIX/python" v="$WORK/venv"
  rm -rf "$out"; mkdir -p "$out/site-packages"
  python3 -m venv "$v"
  "$v/bin/pip" install -q --disable-pip-version-check requests==2.31.0 PyYAML==6.0.1
  local sp; sp="$("$v/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  for d in "$sp"/*.dist-info; do
    case "$(basename "$d")" in pip-*|setuptools-*) continue;; esac
    mkdir -p "$out/site-packages/$(basename "$d")"
    cp "$d/METADATA" "$out/site-packages/$(basename "$d")/"
  done
  "$v/bin/pip" list --format json --disable-pip-version-check --exclude pip --exclude setuptools > "$out/expected-pip-list.json"
  # pip's own view of the dependency edges ("Requires:"), for the Requires-Dist linking.
  "$v/bin/pip" show --disable-pip-version-check $(python3 -c 'import json,sys; print(" ".join(p["name"] for p in json.load(open(sys.argv[1]))))' "$out/expected-pip-list.json") \
    | python3 -c '
import json, sys
out, name = {}, None
for line in sys.stdin:
    k, _, v = line.partition(":")
    if k == "Name": name = v.strip()
    if k == "Requires": out[name] = sorted(x.strip() for x in v.split(",") if x.strip())
print(json.dumps(out, indent=1, sort_keys=True))' > "$out/expected-pip-show.json"
  mkdir -p "$out/requirements"
  "$v/bin/pip" freeze --disable-pip-version-check > "$out/requirements/requirements.txt"
  # Lockfiles from the real tools (one venv each: their pins conflict), for a project needing
  # requests with iniconfig as a dev tool. pdm is pinned to a release whose HTTP stack
  # (unearth/hishel/httpx) still fits together on PyPI today; poetry reads the simple index
  # through an explicit source because PyPI mirrors may not serve the per-version JSON API.
  tool() { python3 -m venv "$WORK/t-$1" && "$WORK/t-$1/bin/pip" install -q --disable-pip-version-check "${@:2}"; }
  tool uv uv==0.4.30; tool pipenv pipenv==2024.4.0; tool poetry poetry==2.5.1
  tool pdm pdm==2.22.4 unearth==0.17.2 'hishel<0.2' 'httpx<0.29'
  local proj="$WORK/proj"
  mkdir -p "$proj"
  cat > "$proj/pyproject.toml" <<'TOML'
[project]
name = "fixture-app"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = ["requests==2.31.0"]

[tool.uv]
dev-dependencies = ["iniconfig==2.0.0"]
TOML
  (cd "$proj" && "$WORK/t-uv/bin/uv" lock -q && mkdir -p "$out/uv" && cp uv.lock "$out/uv/")
  # PEP 735 dependency groups: how poetry 2 and pdm declare the same dev tool.
  local pp="$WORK/pyproj"
  mkdir -p "$pp"
  sed -e '/^\[tool.uv\]/,$d' "$proj/pyproject.toml" > "$pp/pyproject.toml"
  printf '[dependency-groups]\ndev = ["iniconfig==2.0.0"]\n\n[[tool.poetry.source]]\nname = "pypi-simple"\nurl = "https://pypi.org/simple/"\npriority = "primary"\n' >> "$pp/pyproject.toml"
  (cd "$pp" && POETRY_VIRTUALENVS_CREATE=false "$WORK/t-poetry/bin/poetry" lock -q && mkdir -p "$out/poetry" && cp poetry.lock "$out/poetry/")
  (cd "$pp" && PDM_CHECK_UPDATE=false "$WORK/t-pdm/bin/pdm" lock -q -G dev && mkdir -p "$out/pdm" && cp pdm.lock "$out/pdm/")
  local pe="$WORK/pipenv"
  mkdir -p "$pe"
  printf '[packages]\nrequests = "==2.31.0"\n\n[dev-packages]\niniconfig = "==2.0.0"\n' > "$pe/Pipfile"
  (cd "$pe" && PIPENV_VENV_IN_PROJECT=1 PIPENV_YES=1 "$WORK/t-pipenv/bin/pipenv" lock >/dev/null 2>&1 && mkdir -p "$out/pipenv" && cp Pipfile.lock "$out/pipenv/") || echo "warn: pipenv lock failed" >&2
  # What every lockfile should resolve to (same resolver input): the venv plus iniconfig.
  "$v/bin/pip" install -q --disable-pip-version-check --target "$WORK/resolved" requests==2.31.0 iniconfig==2.0.0
  "$v/bin/pip" list --format json --disable-pip-version-check --path "$WORK/resolved" > "$out/expected-lock-resolution.json"
}

node_project() {
  cat > "$1/package.json" <<'JSON'
{
  "name": "fixture-app",
  "version": "1.0.0",
  "private": true,
  "dependencies": { "debug": "4.3.4", "lodash": "4.17.21" },
  "devDependencies": { "is-number": "7.0.0" }
}
JSON
}

node_fixtures() {
  local out="$FIX/node"
  rm -rf "$out"; mkdir -p "$out"
  local n="$WORK/npm"; mkdir -p "$n"; node_project "$n"
  (cd "$n" && npm install -q --no-audit --no-fund --registry "$NPM_REG" >/dev/null && npm ls --all --json > "$out/expected-npm-ls.json")
  mkdir -p "$out/npm-v3" "$out/installed"
  cp "$n/package.json" "$n/package-lock.json" "$out/npm-v3/"
  (cd "$n" && find node_modules -name package.json -path '*node_modules/*/package.json' | while read -r f; do
     case "$f" in */node_modules/*/*/package.json) [[ "$f" == node_modules/@*/*/package.json ]] || continue;; esac
     mkdir -p "$out/installed/$(dirname "$f")"; cp "$f" "$out/installed/$f"; done)
  cp "$n/node_modules/.package-lock.json" "$out/installed/node_modules/"
  for ver in 1 2; do
    local d="$WORK/npm-v$ver"; mkdir -p "$d"; node_project "$d"
    (cd "$d" && npm install -q --no-audit --no-fund --package-lock-only --lockfile-version "$ver" --registry "$NPM_REG" >/dev/null)
    mkdir -p "$out/npm-v$ver"; cp "$d/package.json" "$d/package-lock.json" "$out/npm-v$ver/"
  done
  local s="$WORK/shrink"; mkdir -p "$s"; node_project "$s"
  (cd "$s" && npm install -q --no-audit --no-fund --package-lock-only --registry "$NPM_REG" >/dev/null && npm shrinkwrap -q >/dev/null)
  mkdir -p "$out/shrinkwrap"; cp "$s/package.json" "$s/npm-shrinkwrap.json" "$out/shrinkwrap/"
  # yarn classic, yarn berry and pnpm come from the npm registry too.
  local tools="$WORK/tools"; mkdir -p "$tools"
  npm install -q --no-audit --no-fund --prefix "$tools" --registry "$NPM_REG" yarn@1.22.22 pnpm@9.15.0 @yarnpkg/cli-dist@4.5.3 >/dev/null
  local y="$WORK/yarn1"; mkdir -p "$y"; node_project "$y"
  (cd "$y" && node "$tools/node_modules/yarn/bin/yarn.js" install -s --registry "$NPM_REG" --ignore-scripts >/dev/null 2>&1 \
     && node "$tools/node_modules/yarn/bin/yarn.js" list --json > "$out/expected-yarn-classic-list.json")
  mkdir -p "$out/yarn-classic"; cp "$y/package.json" "$y/yarn.lock" "$out/yarn-classic/"
  local b="$WORK/berry"; mkdir -p "$b"; node_project "$b"
  printf 'nodeLinker: node-modules\nnpmRegistryServer: "%s"\nenableTelemetry: false\n' "${NPM_REG%/}" > "$b/.yarnrc.yml"
  (cd "$b" && touch yarn.lock && YARN_ENABLE_GLOBAL_CACHE=0 node "$tools/node_modules/@yarnpkg/cli-dist/bin/yarn.js" install --mode=update-lockfile >/dev/null 2>&1)
  mkdir -p "$out/yarn-berry"; cp "$b/package.json" "$b/yarn.lock" "$out/yarn-berry/"
  local p="$WORK/pnpm"; mkdir -p "$p"; node_project "$p"
  (cd "$p" && "$tools/node_modules/.bin/pnpm" install --registry "$NPM_REG" >/dev/null 2>&1 \
     && "$tools/node_modules/.bin/pnpm" list --depth Infinity --json > "$out/expected-pnpm-list.json")
  mkdir -p "$out/pnpm"; cp "$p/package.json" "$p/pnpm-lock.yaml" "$out/pnpm/"
}

rust_fixtures() {
  local out="$FIX/rust" c="$WORK/cargo-app"
  rm -rf "$out"; mkdir -p "$out/lock" "$out/auditable/usr/local/bin"
  mkdir -p "$c/src"
  cat > "$c/Cargo.toml" <<'TOML'
[package]
name = "fixture-app"
version = "0.1.0"
edition = "2021"

[dependencies]
crc32fast = "=1.4.2"
hex = "=0.4.3"

[profile.release]
strip = true
opt-level = "z"
lto = true
codegen-units = 1
panic = "abort"
TOML
  echo 'fn main() { println!("{} {}", crc32fast::hash(b"x"), hex::encode("x")); }' > "$c/src/main.rs"
  (cd "$c" && cargo generate-lockfile -q && cp Cargo.lock "$out/lock/")
  (cd "$c" && cargo metadata -q --format-version 1) | python3 -c '
import json, sys
m = json.load(sys.stdin)
ids = {p["id"]: p for p in m["packages"]}
print(json.dumps(sorted([{"name": p["name"], "version": p["version"],
  "dependencies": sorted(ids[d["pkg"]]["name"] for d in n["deps"])}
  for n in m["resolve"]["nodes"] for p in [ids[n["id"]]]], key=lambda p: p["name"]), indent=1))' > "$out/expected-cargo-metadata.json"
  # cargo-auditable (from crates.io) embeds the dependency list in the binary.
  if command -v cargo-auditable >/dev/null; then
    (cd "$c" && CARGO_TARGET_DIR="$WORK/t" cargo auditable build -q --release)
    cp "$WORK/t/release/fixture-app" "$out/auditable/usr/local/bin/fixture-app"
  else
    echo "warn: cargo-auditable not installed (cargo install cargo-auditable); skipping binary" >&2
  fi
}

go_fixtures() {
  # Offline on purpose: the dependency is a local module pulled in through `replace`.
  local out="$FIX/go" g="$WORK/go"
  rm -rf "$out"; mkdir -p "$out/mod" "$out/bin/usr/local/bin" "$g/greet"
  printf 'module example.com/greet\n\ngo 1.19\n' > "$g/greet/go.mod"
  printf 'package greet\n\nfunc Hello() string { return "hello" }\n' > "$g/greet/greet.go"
  printf 'module example.com/hello\n\ngo 1.19\n\nrequire example.com/greet v1.2.3\n\nreplace example.com/greet v1.2.3 => ./greet\n' > "$g/go.mod"
  # println instead of fmt keeps the binary (a committed fixture) small.
  printf 'package main\n\nimport "example.com/greet"\n\nfunc main() { println(greet.Hello()) }\n' > "$g/main.go"
  (cd "$g" && GOPROXY=off GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o hello . )
  cp "$g/go.mod" "$out/mod/"
  cp "$g/hello" "$out/bin/usr/local/bin/hello"
  (cd "$g" && go version -m hello) > "$out/expected-go-version-m.txt"
  (cd "$g" && GOPROXY=off go list -m -json all) > "$out/expected-go-list-m.json"
}

java_fixtures() {
  # Maven builds a two-module reactor offline against Debian's repository
  # (/usr/share/maven-repo, packages maven-debian-helper and the lib*-plugin-java listed in
  # .ci/run's comment): `greet` is shaded with its dependency (commons-io) into an -all jar,
  # `webapp` is a war whose WEB-INF/lib nests greet, commons-io and commons-cli. Class files
  # are stripped afterwards (the detectors read only META-INF), which keeps the fixtures small.
  local out="$FIX/java" j="$WORK/java" mvn_s=/etc/maven/settings-debian.xml
  rm -rf "$out"; mkdir -p "$out/archives" "$out/pom" "$j/greet/src/main/java/com/example" "$j/webapp/src/main/webapp/WEB-INF"
  local plugins='<build><pluginManagement><plugins>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.10.1</version></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.0</version></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-surefire-plugin</artifactId><version>2.22.3</version><configuration><skip>true</skip></configuration></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-jar-plugin</artifactId><version>3.3.0</version></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-war-plugin</artifactId><version>3.3.2</version></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId><version>3.5.0</version></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-shade-plugin</artifactId><version>3.4.1</version></plugin>
    </plugins></pluginManagement></build>'
  cat > "$j/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example</groupId>
  <artifactId>fixture-parent</artifactId>
  <version>1.0.0</version>
  <packaging>pom</packaging>
  <modules><module>greet</module><module>webapp</module></modules>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
    <commons-io.version>2.11.0</commons-io.version>
  </properties>
  $plugins
</project>
POM
  cat > "$j/greet/pom.xml" <<'POM'
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent><groupId>com.example</groupId><artifactId>fixture-parent</artifactId><version>1.0.0</version></parent>
  <artifactId>greet</artifactId>
  <dependencies>
    <dependency><groupId>commons-io</groupId><artifactId>commons-io</artifactId><version>${commons-io.version}</version></dependency>
  </dependencies>
  <build><plugins><plugin>
    <groupId>org.apache.maven.plugins</groupId><artifactId>maven-shade-plugin</artifactId>
    <executions><execution><phase>package</phase><goals><goal>shade</goal></goals>
      <configuration><shadedArtifactAttached>true</shadedArtifactAttached><shadedClassifierName>all</shadedClassifierName></configuration>
    </execution></executions>
  </plugin></plugins></build>
</project>
POM
  cat > "$j/webapp/pom.xml" <<'POM'
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent><groupId>com.example</groupId><artifactId>fixture-parent</artifactId><version>1.0.0</version></parent>
  <artifactId>webapp</artifactId>
  <packaging>war</packaging>
  <dependencies>
    <dependency><groupId>com.example</groupId><artifactId>greet</artifactId><version>${project.version}</version></dependency>
    <dependency><groupId>commons-cli</groupId><artifactId>commons-cli</artifactId><version>1.5.0</version></dependency>
  </dependencies>
  <build><plugins><plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-war-plugin</artifactId>
    <configuration><failOnMissingWebXml>false</failOnMissingWebXml></configuration></plugin></plugins></build>
</project>
POM
  printf 'package com.example;\npublic class Greet { public static String ext(String f) { return org.apache.commons.io.FilenameUtils.getExtension(f); } }\n' > "$j/greet/src/main/java/com/example/Greet.java"
  # One invocation, so webapp resolves greet from the reactor without installing it.
  (cd "$j" && mvn -q -s "$mvn_s" package dependency:list -DincludeScope=runtime -DoutputFile=deps.txt >/dev/null \
     && mvn -q -s "$mvn_s" package dependency:list -DexcludeTransitive=true -DoutputFile=direct.txt >/dev/null)
  # Strip class files (nested jars too), keeping every entry the detectors read.
  python3 - "$j/greet/target/greet-1.0.0-all.jar" "$j/webapp/target/webapp-1.0.0.war" "$out/archives" <<'PY'
import io, sys, zipfile
def strip(data):
    src = zipfile.ZipFile(io.BytesIO(data)); buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for i in src.infolist():
            if i.filename.endswith(".class"): continue
            body = src.read(i)
            if i.filename.endswith(".jar"): body = strip(body)
            dst.writestr(i, body)
    return buf.getvalue()
for path in sys.argv[1:3]:
    open(sys.argv[3] + "/" + path.rsplit("/", 1)[1], "wb").write(strip(open(path, "rb").read()))
PY
  cp "$j/webapp/pom.xml" "$out/pom/pom.xml"
  # What Maven says each archive carries: the module itself plus its runtime dependencies.
  python3 - "$j" > "$out/expected-mvn-dependency-list.json" <<'PY'
import json, re, sys
out = {}
for mod, archive in (("greet", "greet-1.0.0-all.jar"), ("webapp", "webapp-1.0.0.war")):
    deps = [{"group": "com.example", "artifact": mod, "version": "1.0.0"}]
    for line in open(f"{sys.argv[1]}/{mod}/deps.txt"):
        m = re.match(r"\s+([^:\s]+):([^:]+):[^:]+:([^:]+):(compile|runtime)", line)
        if m: deps.append({"group": m[1], "artifact": m[2], "version": m[3]})
    out[archive] = deps
# webapp/pom.xml's declared dependencies, as Maven resolves them without transitives.
out["pom.xml"] = [{"group": m[1], "artifact": m[2], "version": m[3]}
    for line in open(f"{sys.argv[1]}/webapp/direct.txt")
    for m in [re.match(r"\s+([^:\s]+):([^:]+):[^:]+:([^:]+):", line)] if m]
print(json.dumps(out, indent=1))
PY
}

ruby_fixtures() {
  # Gems Debian's ruby already has, so bundler resolves offline (`--local`).
  local out="$FIX/ruby" r="$WORK/ruby"
  rm -rf "$out"; mkdir -p "$out/bundle" "$out/installed/specifications" "$r"
  printf 'source "https://rubygems.org"\ngem "test-unit"\ngem "rake"\n' > "$r/Gemfile"
  (cd "$r" && bundle lock --local >/dev/null && cp Gemfile Gemfile.lock "$out/bundle/" && bundle list > "$out/expected-bundle-list.txt")
  for g in rake test-unit power_assert; do
    local spec; spec="$(gem specification --local "$g" loaded_from 2>/dev/null | sed -n 's/^--- "\{0,1\}\([^"]*\)"\{0,1\}$/\1/p')"
    [ -f "$spec" ] && cp "$spec" "$out/installed/specifications/"
  done
  gem list --local rake test-unit power_assert > "$out/expected-gem-list.txt" 2>/dev/null || true
}

php_fixtures() {
  # Two local path packages, so composer resolves without Packagist.
  local out="$FIX/php" p="$WORK/php"
  rm -rf "$out"; mkdir -p "$out/lock" "$out/installed/vendor/composer" "$p/pkgs/greet" "$p/pkgs/util"
  printf '{"name":"palisade/util","version":"1.4.0","license":"MIT"}\n' > "$p/pkgs/util/composer.json"
  printf '{"name":"palisade/greet","version":"2.0.1","license":"Apache-2.0","require":{"palisade/util":"^1.0"}}\n' > "$p/pkgs/greet/composer.json"
  printf '{"name":"palisade/app","require":{"palisade/greet":"^2.0"},"repositories":[{"type":"path","url":"pkgs/*","options":{"symlink":false}},{"packagist.org":false}]}\n' > "$p/composer.json"
  (cd "$p" && COMPOSER_ALLOW_SUPERUSER=1 composer update -q --no-interaction --no-plugins \
     && COMPOSER_ALLOW_SUPERUSER=1 composer show --format=json > "$out/expected-composer-show.json")
  cp "$p/composer.json" "$p/composer.lock" "$out/lock/"
  cp "$p/vendor/composer/installed.json" "$out/installed/vendor/composer/"
}

for what in "${@:-python node rust go java ruby php}"; do
  for w in $what; do "${w}_fixtures"; done
done
du -sh "$FIX"
