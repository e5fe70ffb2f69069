# Sourced by .ci/run: puts a Node.js of the wanted major first on PATH, installing it if needed.

node_major() {
  command -v node >/dev/null 2>&1 && node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

ensure_node() {
  local want="$1"
  if [ "$(node_major)" -ge "$want" ]; then return 0; fi

  local arch
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "No Node.js ${want} package for $(uname -m); install Node.js ${want} and run again." >&2; return 1 ;;
  esac
  local cache="${XDG_CACHE_HOME:-$HOME/.cache}/whatsapp-bot-stack/node${want}-${arch}"
  local bin="${cache}/node_modules/node-linux-${arch}/bin"

  if [ ! -x "${bin}/node" ] || [ "$("${bin}/node" -p 'process.versions.node.split(".")[0]')" != "$want" ]; then
    # npm fetches the package; with no npm at all, Debian's (older) nodejs and npm are enough for that.
    if ! command -v npm >/dev/null 2>&1; then
      echo "No npm on this machine: installing Debian's nodejs and npm to fetch Node.js ${want}." >&2
      apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
    fi
    echo "Node.js $(node --version 2>/dev/null || echo none) is older than ${want}: installing node-linux-${arch}@${want} into ${cache}" >&2
    mkdir -p "$cache"
    npm install --prefix "$cache" --no-save --no-audit --no-fund --no-package-lock "node-linux-${arch}@${want}" >&2
  fi
  export PATH="${bin}:${PATH}"
  if [ "$(node_major)" != "$want" ]; then
    echo "Could not provision Node.js ${want} (node on PATH is $(node --version))." >&2
    return 1
  fi
}
