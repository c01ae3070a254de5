# Sourced by scripts/test, scripts/demo and the other scripts: installs on a fresh
# Debian/Ubuntu machine what copypt's build and local servers need, and nothing more.
#   system: libcurl4-openssl-dev, libssl-dev, pkg-config (build); python3 + pip (local servers)
#   PyPI:   moto[server] (the local S3), plus whatever extra packages the caller names.

copypt_as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

copypt_ensure_system_packages() {
    local missing=()
    pkg-config --exists libcurl 2>/dev/null || missing+=(libcurl4-openssl-dev)
    pkg-config --exists libcrypto 2>/dev/null || missing+=(libssl-dev)
    command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
    command -v python3 >/dev/null 2>&1 || missing+=(python3 python3-pip)
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "copypt: installing system packages: ${missing[*]}" >&2
        copypt_as_root apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive copypt_as_root apt-get install -y -qq "${missing[@]}" >&2
    fi
}

# copypt_ensure_python_packages MODULE=REQUIREMENT ... (e.g. moto=moto[server])
copypt_ensure_python_packages() {
    local wanted=()
    for pair in "$@"; do
        local module="${pair%%=*}" requirement="${pair#*=}"
        python3 -c "import $module" >/dev/null 2>&1 || wanted+=("$requirement")
    done
    [ ${#wanted[@]} -eq 0 ] && return 0
    echo "copypt: installing Python packages: ${wanted[*]}" >&2
    python3 -m pip --version >/dev/null 2>&1 || copypt_ensure_system_packages python3-pip
    # Debian's system Python refuses plain pip installs (PEP 668); allow them for these tools.
    python3 -m pip install -q "${wanted[@]}" >&2 \
        || python3 -m pip install -q --break-system-packages "${wanted[@]}" >&2
}

copypt_ensure_moto() {
    copypt_ensure_python_packages moto=moto[server] flask=flask flask_cors=flask-cors
    if ! command -v moto_server >/dev/null 2>&1; then
        # pip may have put the script in ~/.local/bin.
        export PATH="$HOME/.local/bin:$PATH"
    fi
}
