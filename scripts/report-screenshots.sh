#!/usr/bin/env bash
# Regenerates the README's pictures of one scan of the demo image:
#   docs/screenshots/report-table.txt  the table on an 80-column terminal (COLUMNS=80)
#   docs/screenshots/report-html.png   the HTML report, screenshotted by headless Chromium
# and the table in README.md; crates/palisade/tests/report_docs_cli.rs checks they are current.
# Needs: cargo, chromium (apt-get install chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q -p palisade
bin=target/debug/palisade
out=docs/screenshots
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export NO_COLOR=1 XDG_CACHE_HOME="$tmp/cache"
# --db-max-age: the pictures must not change as the embedded database ages.
scan=(image --input examples/demo-image-oci --scanners vuln,secret,misconfig --db-max-age 36500 --quiet)

COLUMNS=80 "$bin" "${scan[@]}" >"$out/report-table.txt"
"$bin" "${scan[@]}" --format html -o "$tmp/report.html"

chromium --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
  --disable-background-networking --user-data-dir="$tmp/profile" \
  --window-size=1280,1500 --screenshot="$out/report-html.png" \
  "file://$tmp/report.html" 2>/dev/null

# The README shows the table between its report-table markers.
awk -v table="$out/report-table.txt" '
  /<!-- report-table:start -->/ { print; print "```text"; while ((getline line < table) > 0) print line; print "```"; skip = 1; next }
  /<!-- report-table:end -->/ { skip = 0 }
  !skip { print }
' README.md >"$tmp/README.md"
cp "$tmp/README.md" README.md
echo "wrote $out/report-table.txt, $out/report-html.png and the README table"
