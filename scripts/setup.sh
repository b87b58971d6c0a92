#!/usr/bin/env bash
# Set up noticerules on a fresh Debian machine and run the main job on the bundled corpus.
#   bash scripts/setup.sh            # install everything, then extract + ingest + eval the corpus
#   bash scripts/setup.sh --deps     # install only (what scripts/check uses)
# Idempotent: a second run installs nothing new.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(chromium fonts-wqy-zenhei)   # browser for UI tests; CJK font for corpus PDFs

need_apt=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || need_apt+=("$p")
done
if ((${#need_apt[@]})); then
  echo "setup: installing Debian packages: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PY" -m venv .venv
fi
if ! .venv/bin/python -c "import extractors, spacy, opencc, pdfplumber, playwright" 2>/dev/null \
   || [ pyproject.toml -nt .venv/.installed ]; then
  echo "setup: installing Python packages into .venv"
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -e '.[test]'
  touch .venv/.installed
fi

if [ "${1:-}" = "--deps" ]; then
  exit 0
fi

echo "setup: main job: extract, ingest and evaluate the bundled corpus"
mkdir -p out
.venv/bin/noticerules extract $(.venv/bin/python scripts/corpus_inputs.py) --format jsonl > out/corpus.jsonl
echo "setup: wrote out/corpus.jsonl ($(wc -l < out/corpus.jsonl) notices)"
if .venv/bin/noticerules ingest --help >/dev/null 2>&1; then
  .venv/bin/noticerules ingest $(.venv/bin/python scripts/corpus_inputs.py) --db out/noticerules.db
fi
.venv/bin/noticerules eval corpus/
