# Sourced by scripts/serve and scripts/test: a fresh Debian machine gets what they need, and nothing is
# installed by hand. Sets PY to the project's Python (a virtual environment in .venv/ unless one is active).
#   FANZHA_EXTRAS=test  also installs the test extra (pytest, Playwright, scikit-learn for the retrain test)

# Debian packages: npm (the build fetches Pyodide with `npm pack`); for tests, chromium (Playwright drives
# Debian's chromium: `playwright install` cannot download browsers here) and CJK fonts for screenshots.
debian_install() {
  local missing=("$@") sudo=""
  [ "${#missing[@]}" -gt 0 ] || return 0
  if ! command -v apt-get >/dev/null; then
    echo "missing: ${missing[*]} (install them with your package manager)" >&2
    return 1
  fi
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "== installing Debian packages: ${missing[*]}"
  $sudo apt-get update -q
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

need=()
command -v npm >/dev/null || need+=(npm)
if [ "${FANZHA_EXTRAS:-}" = "test" ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  [ -d /usr/share/fonts/opentype/noto ] || need+=(fonts-noto-cjk)
fi
debian_install "${need[@]}"

if [ -n "${VIRTUAL_ENV:-}" ]; then
  PY="${PYTHON:-python}"
else
  if [ ! -x .venv/bin/python ]; then
    echo "== making a virtual environment in .venv/"
    "${PYTHON:-python3}" -m venv .venv
  fi
  PY=.venv/bin/python
fi
spec="."
[ -n "${FANZHA_EXTRAS:-}" ] && spec=".[${FANZHA_EXTRAS}]"
# Idempotent: a few seconds when everything is installed already.
"$PY" -m pip install --quiet --disable-pip-version-check -e "$spec"
