#!/usr/bin/env bash
# Copies the front-end packages installed by `npm ci` into static/vendor, so pages never load
# anything from another host (government intranets have no internet).
set -euo pipefail
cd "$(dirname "$0")/.."
dest=static/vendor
rm -rf "$dest"
mkdir -p "$dest/bootstrap" "$dest/bootstrap-icons/fonts" "$dest/echarts" "$dest/htmx"
# The source maps come along: the minified files reference them, and collectstatic's manifest
# storage refuses references to missing files.
cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map "$dest/bootstrap/"
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map "$dest/bootstrap/"
cp node_modules/bootstrap-icons/font/bootstrap-icons.min.css "$dest/bootstrap-icons/"
cp node_modules/bootstrap-icons/font/fonts/* "$dest/bootstrap-icons/fonts/"
cp node_modules/echarts/dist/echarts.min.js "$dest/echarts/"
cp node_modules/htmx.org/dist/htmx.min.js "$dest/htmx/"
