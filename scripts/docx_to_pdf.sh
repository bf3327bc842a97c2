#!/usr/bin/env bash
# Convert DOCX files (a year-end summary, publicity lists) to PDF with LibreOffice
# headless, and optionally render the first pages as PNG to look at them.
#
#   scripts/docx_to_pdf.sh OUT_DIR FILE.docx [FILE.docx ...]
#   PNG_PAGES=2 scripts/docx_to_pdf.sh reports/pdf reports/summary-2026-sample-zh.docx
#
# Needs LibreOffice (Debian: apt-get install libreoffice-writer-nogui fonts-noto-cjk) and,
# for PNG pages, poppler-utils. Not part of CI: the tests check DOCX with python-docx.
set -euo pipefail

if [ $# -lt 2 ]; then
    echo "usage: $0 OUT_DIR FILE.docx [FILE.docx ...]" >&2
    exit 2
fi
out_dir=$1
shift
soffice=$(command -v soffice || command -v libreoffice || true)
if [ -z "$soffice" ]; then
    echo "$0: LibreOffice is not installed — run: apt-get install libreoffice-writer-nogui fonts-noto-cjk" >&2
    exit 2
fi
mkdir -p "$out_dir"
# a private profile, so that a running LibreOffice or a read-only home does not interfere
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$soffice" -env:UserInstallation="file://$profile" --headless --convert-to pdf --outdir "$out_dir" "$@" >/dev/null
pages=${PNG_PAGES:-0}
for docx in "$@"; do
    pdf="$out_dir/$(basename "${docx%.*}").pdf"
    [ -f "$pdf" ] || { echo "$0: $docx was not converted" >&2; exit 1; }
    echo "$pdf"
    if [ "$pages" -gt 0 ]; then
        command -v pdftoppm >/dev/null || { echo "$0: pdftoppm missing — apt-get install poppler-utils" >&2; exit 2; }
        pdftoppm -r 80 -png -f 1 -l "$pages" "$pdf" "${pdf%.pdf}"
        ls "${pdf%.pdf}"-*.png
    fi
done
