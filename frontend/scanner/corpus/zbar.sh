#!/bin/sh
# Writes zbar.txt: what zbarimg reads in each corpus image (empty: nothing).
# Needs zbar-tools (Debian: apt-get install zbar-tools). Run from anywhere.
set -eu
cd "$(dirname "$0")"
version=$(zbarimg --version)
{
    printf '# file\ttext zbarimg %s read (empty: nothing); see docs/scanner.md to regenerate\n' "$version"
    for f in label-*.png; do
        printf '%s\t%s\n' "$f" "$(zbarimg -q --raw "$f" 2>/dev/null | head -n 1 || true)"
    done
} > zbar.txt
