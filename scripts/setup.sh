#!/usr/bin/env bash
# Installs everything incorpus needs on a fresh Debian machine: the system
# toolchains from Debian's packages, the npm packages, and the compiled CLI.
# Safe to re-run: apt runs only when a package is missing.
# `--bench` also installs what only the benchmarks read: linux-source (bench:scale's
# generator unpacks its drivers; ~150 MB) and numpy/scipy, which datasketch needs when
# bench:scale runs it from a source tree given with --datasketch.
set -euo pipefail
cd "$(dirname "$0")/.."

# git: crawl git. yosys: /usr/share/yosys/*.v used by tests and the benchmark.
# The rest are the verification toolchains (Icarus, Verilator, Yosys, gcc/clang,
# arm-none-eabi-gcc + newlib) and poppler-utils for the literature crawler.
# libnewlib-dev: /usr/include/newlib, real C headers the PII/validation filter tests
# and bench plant secrets into; base-files (always installed) gives /usr/share/common-licenses.
# Literature crawler (issue 4): yosys-doc ships the Yosys manual PDF the tests read;
# tesseract-ocr(-eng) is the native OCR the benchmark compares tesseract.js with;
# img2pdf wraps rasterized pages into scanned PDFs; qpdf makes encrypted test PDFs;
# fonts-dejavu-core gives the monospace font the generated test PDFs are set in.
# Verification (annotate/verify): gcc/g++ and binutils (objcopy for the refinement proof),
# python3 (byte-compile only), bubblewrap (the tool sandbox: no network, no host files).
# Corpus report (issue 17): chromium is the headless browser tests/report opens index.html in
# (driven by playwright-core through executablePath; no browser is ever downloaded).
# Scale-out (queue/, issue 14): redis-server holds the BullMQ queue; the tests start their own on a free port.
PACKAGES=(git iverilog yosys verilator gcc-arm-none-eabi libnewlib-arm-none-eabi clang poppler-utils libnewlib-dev yosys-doc libtasn1-doc tesseract-ocr tesseract-ocr-eng img2pdf qpdf fonts-dejavu-core gcc g++ binutils python3 bubblewrap chromium redis-server)
if [[ "${1:-}" == "--bench" ]]; then PACKAGES+=(linux-source python3-numpy python3-scipy); fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -eq 0 ]]; then SUDO=(); elif command -v sudo >/dev/null; then SUDO=(sudo); else
    echo "setup: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
  echo "setup: installing Debian packages: ${missing[*]}"
  "${SUDO[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

echo "setup: installing npm packages (better-sqlite3 and re2 build from source when no prebuilt binary can be fetched, a few minutes)"
npm ci --no-audit --no-fund --loglevel=error
npm run build --silent
echo "setup: done ($(node dist/cli/main.js --help >/dev/null && echo 'incorpus CLI ready'))"
