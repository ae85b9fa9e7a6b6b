#!/usr/bin/env bash
# Prints the ntc-templates folder (its `index` and templates) for NTC_TEMPLATES_DIR, or nothing.
# Looks, in order: NTC_TEMPLATES_DIR, .cache/ntc-templates (fetched before), a Python that has ntc_templates,
# then fetches the wheel from PyPI into .cache (pip; the wheel is data only). Notes go to stderr.
set -uo pipefail
cd "$(dirname "$0")/.."
version="${NTC_TEMPLATES_VERSION:-9.3.0}"
cached=".cache/ntc-templates/ntc_templates/templates"
usable() { [ -f "$1/index" ]; }

if [ -n "${NTC_TEMPLATES_DIR:-}" ]; then
  usable "$NTC_TEMPLATES_DIR" && { echo "$NTC_TEMPLATES_DIR"; exit 0; }
  echo "ntc-templates: NTC_TEMPLATES_DIR=$NTC_TEMPLATES_DIR has no index file" >&2; exit 0
fi
usable "$cached" && { echo "$PWD/$cached"; exit 0; }
for py in python3 /usr/bin/python3; do
  dir=$("$py" -c 'import ntc_templates, os; print(os.path.join(os.path.dirname(ntc_templates.__file__), "templates"))' 2>/dev/null) \
    && usable "$dir" && { echo "$dir"; exit 0; }
done
if command -v python3 >/dev/null 2>&1 && python3 -m pip --version >/dev/null 2>&1; then
  tmp=$(mktemp -d)
  if timeout 120 python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "$tmp" "ntc-templates==$version" >/dev/null 2>&1; then
    mkdir -p .cache/ntc-templates && python3 -m zipfile -e "$tmp"/ntc_templates-*.whl .cache/ntc-templates \
      && usable "$cached" && { rm -rf "$tmp"; echo "ntc-templates: $version fetched into .cache/ntc-templates" >&2; echo "$PWD/$cached"; exit 0; }
  fi
  rm -rf "$tmp"
fi
cat >&2 <<MSG
ntc-templates: not found, so parsing with use_ntc_template is off (your own TextFSM templates still work).
  Get it with:  pip install ntc-templates     (then run this again), or
                set NTC_TEMPLATES_DIR to a checkout's ntc_templates/templates folder.
MSG
