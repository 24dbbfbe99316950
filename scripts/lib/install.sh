# Shared install helpers for scripts/: install only what is missing, say what is installed.

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else echo "error: need root (or sudo) to run: $*" >&2; exit 1
  fi
}

apt_updated=""
# need_debian_packages PKG...: installs the packages dpkg does not report as installed.
need_debian_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "== installing Debian packages: ${missing[*]}"
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# need_rust: cargo must exist; rustfmt and clippy are added when rustup can add them.
need_rust() {
  if ! command -v cargo >/dev/null 2>&1; then
    [ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
  fi
  command -v cargo >/dev/null 2>&1 || { echo "error: Rust (cargo) is required: https://rustup.rs" >&2; exit 1; }
  if command -v rustup >/dev/null 2>&1; then
    for c in rustfmt clippy; do
      rustup component list --installed 2>/dev/null | grep -q "^$c" || rustup component add "$c"
    done
  fi
}

# What the desktop app needs to build (Tauri 2 on WebKitGTK 4.1).
DESKTOP_BUILD_PACKAGES=(build-essential pkg-config libssl-dev libwebkit2gtk-4.1-dev libsoup-3.0-dev
  librsvg2-dev libayatana-appindicator3-dev)
# What the desktop UI tests need on top: a virtual display and WebKit's WebDriver.
DESKTOP_TEST_PACKAGES=(xvfb xauth webkit2gtk-driver)
# What the service report's tests read PDFs with (pdftotext, pdftoppm).
REPORT_TEST_PACKAGES=(poppler-utils)
# What the dispatcher console's browser tests drive: Debian's Chromium through chromedriver.
CONSOLE_TEST_PACKAGES=(chromium chromium-driver)

# need_node: node and npm must exist (the UI is built with them).
need_node() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && return 0
  echo "error: Node.js 20 or newer with npm is required to build the UI: https://nodejs.org" >&2
  exit 1
}

# need_tauri_driver: the WebDriver bridge for the desktop app's UI tests.
need_tauri_driver() {
  command -v tauri-driver >/dev/null 2>&1 && return 0
  [ -x "$HOME/.cargo/bin/tauri-driver" ] && return 0
  echo "== installing tauri-driver"
  cargo install tauri-driver --locked --version '^2'
}

# need_schemathesis: the API tester the end-to-end tests run against a real HQ (PyPI).
SCHEMATHESIS_VERSION=4.32.5
need_schemathesis() {
  schemathesis --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION" && return 0
  command -v python3 >/dev/null 2>&1 || need_debian_packages python3 python3-pip
  echo "== installing schemathesis $SCHEMATHESIS_VERSION"
  python3 -m pip install --quiet "schemathesis==$SCHEMATHESIS_VERSION" \
    || as_root python3 -m pip install --quiet --break-system-packages "schemathesis==$SCHEMATHESIS_VERSION"
  # pyenv only puts a new command on PATH once its shims are rebuilt.
  if command -v pyenv >/dev/null 2>&1; then pyenv rehash; fi
  schemathesis --version >/dev/null
}

# need_aiosmtpd: the real SMTP server the mail tests hand letters to, on loopback (PyPI).
AIOSMTPD_VERSION=1.4.6
need_aiosmtpd() {
  python3 -c "import aiosmtpd, sys; sys.exit(aiosmtpd.__version__ != '$AIOSMTPD_VERSION')" \
    2>/dev/null && return 0
  command -v python3 >/dev/null 2>&1 || need_debian_packages python3 python3-pip
  echo "== installing aiosmtpd $AIOSMTPD_VERSION"
  python3 -m pip install --quiet "aiosmtpd==$AIOSMTPD_VERSION" \
    || as_root python3 -m pip install --quiet --break-system-packages "aiosmtpd==$AIOSMTPD_VERSION"
  python3 -c "import aiosmtpd"
}

# ui_fresh OUTPUT: true when the page OUTPUT (ui/dist/index.html, ui/dist-console/console.html)
# was built after every file it is built from changed. A rebuild rewrites its directory, which
# makes cargo relink the binary embedding it (the desktop app, HQ), so an unchanged UI is not
# rebuilt.
ui_fresh() {
  [ -f "$1" ] || return 1
  [ -z "$(find ui/src ui/index.html ui/console.html ui/package.json ui/package-lock.json \
    ui/vite.config.ts ui/vite.console.config.ts ui/svelte.config.js ui/tsconfig.json \
    -newer "$1" -print -quit 2>/dev/null)" ]
}

# build_ui: installs the UI's npm packages (exactly as locked) when needed, then builds what is
# out of date: ui/dist (the desktop binary embeds it) and ui/dist-console (HQ embeds it).
build_ui() {
  if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
    echo "== installing UI packages"
    (cd ui && npm ci --no-audit --no-fund)
  fi
  if ui_fresh ui/dist/index.html; then
    echo "== the desktop UI is up to date"
  else
    echo "== building the desktop UI"
    (cd ui && npm run build:desktop --silent)
  fi
  if ui_fresh ui/dist-console/console.html; then
    echo "== the console is up to date"
  else
    echo "== building the console"
    (cd ui && npm run build:console --silent)
  fi
}

# need_test_postgres: a PostgreSQL server the storage and end-to-end tests create their
# databases on. ONSITE_TEST_PG (a postgres:// URL of a role allowed to create databases) names
# one; without it, Debian's postgresql package is installed when missing and a throwaway
# cluster is started in a temporary folder, on a free loopback port, owned by an unprivileged
# user (PostgreSQL refuses to run as root). The cluster is stopped and deleted when the
# calling script exits. Its durability settings are off: test data need not survive a crash.
need_test_postgres() {
  if [ -n "${ONSITE_TEST_PG:-}" ]; then
    echo "== PostgreSQL for tests: ONSITE_TEST_PG"
    return 0
  fi
  need_debian_packages postgresql
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -x "$bin/initdb" ] || { echo "error: no PostgreSQL server binaries under /usr/lib/postgresql" >&2; exit 1; }
  local owner
  owner=$(id -un)
  [ "$(id -u)" -eq 0 ] && owner=postgres
  ONSITE_PG_DIR=$(mktemp -d /tmp/onsite-pg.XXXXXX)
  chmod 755 "$ONSITE_PG_DIR"
  [ "$(id -u)" -eq 0 ] && chown "$owner" "$ONSITE_PG_DIR"
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u "$owner" -- "$@"; else "$@"; fi; }
  echo "== starting a PostgreSQL cluster for tests on 127.0.0.1:$port ($ONSITE_PG_DIR)"
  as_pg "$bin/initdb" -D "$ONSITE_PG_DIR/data" -U onsite -A trust -E UTF8 --no-sync >"$ONSITE_PG_DIR/initdb.log" \
    || { cat "$ONSITE_PG_DIR/initdb.log" >&2; exit 1; }
  as_pg "$bin/pg_ctl" -D "$ONSITE_PG_DIR/data" -l "$ONSITE_PG_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $ONSITE_PG_DIR -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { cat "$ONSITE_PG_DIR/server.log" >&2; exit 1; }
  ONSITE_PG_BIN=$bin
  ONSITE_PG_OWNER=$owner
  trap stop_test_postgres EXIT
  export ONSITE_TEST_PG="postgres://onsite@127.0.0.1:$port/postgres"
}

# stop_test_postgres: stops and deletes the cluster need_test_postgres started, if any.
stop_test_postgres() {
  [ -n "${ONSITE_PG_DIR:-}" ] || return 0
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u "$ONSITE_PG_OWNER" -- "$ONSITE_PG_BIN/pg_ctl" -D "$ONSITE_PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  else
    "$ONSITE_PG_BIN/pg_ctl" -D "$ONSITE_PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$ONSITE_PG_DIR"
  ONSITE_PG_DIR=""
}
