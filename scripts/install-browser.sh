#!/usr/bin/env bash
# Headless Chromium, its WebDriver and a CJK font for the browser tests (tests/browser/).
# Installs Debian's chromium, chromium-driver and fonts-noto-cjk when one is missing; does
# nothing when all are there. Needs root (or sudo) and apt-get; where neither is available
# it says so and exits 0: the browser tests then skip with a message saying how to install.
set -uo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: no apt-get here; install ${missing[*]} by hand (the browser tests skip until then)" >&2
    exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo="sudo -n"
    else
        echo "install-browser: not root; run: sudo apt-get install ${missing[*]} (the browser tests skip until then)" >&2
        exit 0
    fi
fi

echo "install-browser: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
    $sudo apt-get update -q >/dev/null 2>&1
    if ! $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"; then
        echo "install-browser: apt-get could not install ${missing[*]} (the browser tests skip until it can)" >&2
        exit 0
    fi
fi
exit 0
