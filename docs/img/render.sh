#!/usr/bin/env bash
# Redraw the images of docs/graph.md from what `ccv graph` prints today, by the route
# GitHub uses for the Markdown format's diagrams: Mermaid. Writes NAME.mmd (the Mermaid
# text, which tests/graph/test_docs_images.py compares with `ccv graph`) and NAME.png.
#
# Needs ccv on PATH, Node.js with npm, and Chromium (Debian: apt-get install chromium);
# mermaid-cli is installed from package.json into a cache folder without its own browser.
#
#   bash docs/img/render.sh
set -euo pipefail
cd "$(dirname "$0")"

digest="$(sha256sum package.json | cut -c1-12)"
prefix="${XDG_CACHE_HOME:-$HOME/.cache}/ccv-docs/mermaid-cli-$digest"
if [ ! -x "$prefix/node_modules/.bin/mmdc" ]; then
  mkdir -p "$prefix"
  cp package.json "$prefix/package.json"
  (cd "$prefix" && PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error)
fi

for name in three-clouds typical-mistakes; do
  ccv graph "../../examples/$name.yaml" > "$name.mmd"
  "$prefix/node_modules/.bin/mmdc" --puppeteerConfigFile puppeteer.json \
    --input "$name.mmd" --output "$name.png" --backgroundColor white --scale 2 --quiet
done
