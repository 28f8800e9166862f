#!/usr/bin/env bash
# Create gpu-service/.venv with sid-gpu (editable) and its test extra.
#
# Idempotent: a stamp in the venv records the hash of pyproject.toml and the
# interpreter version; when both match and the package imports, nothing is
# done (CI calls this on every run). Environment:
#   PYTHON        interpreter to create the venv with (default: python3.11, then python3)
#   PIP_ARGS      extra pip arguments, e.g. "--extra-index-url https://download.pytorch.org/whl/cpu"
#                 for CPU-only torch wheels on machines that can reach that index
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$here/.venv"
stamp="$venv/.sid-gpu-setup"

python="${PYTHON:-}"
if [ -z "$python" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then python="$candidate"; break; fi
  done
fi
[ -n "$python" ] || { echo "setup.sh: no python3 found (set PYTHON)" >&2; exit 1; }

want="$( { cat "$here/pyproject.toml"; "$python" --version 2>&1; } | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
   && "$venv/bin/python" -c "
import importlib.metadata as m, sid_gpu
for d in ('torch', 'diffusers', 'transformers', 'accelerate', 'httpx', 'pydantic', 'pytest'): m.version(d)
" >/dev/null 2>&1; then
  echo "gpu-service/.venv is up to date"
  exit 0
fi

# A venv whose interpreter went away (pyenv upgrade, moved folder) is rebuilt.
if ! "$venv/bin/python" --version >/dev/null 2>&1; then
  "$python" -m venv --clear "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
# shellcheck disable=SC2086  # PIP_ARGS is a list of words on purpose
"$venv/bin/python" -m pip install --quiet ${PIP_ARGS:-} -e "$here[test]"
echo "$want" > "$stamp"
echo "gpu-service/.venv ready: $("$venv/bin/python" -c 'import sid_gpu, torch; print("sid-gpu", sid_gpu.__version__, "torch", torch.__version__)')"
