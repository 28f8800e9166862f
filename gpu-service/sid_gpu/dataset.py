"""Training from a dataset ZIP exported by the app, without the app.

The ZIP is the subject page's "dataset" export (or `npm run sid:export`): `metadata.jsonl`
with one {"file_name", "text"} line per image, and the images under exactly those names, the
layout Hugging Face `datasets` reads as "imagefolder". `sid-gpu train` turns it into the same
`Example`s a worker job builds and runs the same recipe.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path, PurePosixPath

from PIL import Image

from .errors import ConfigError
from .methods.common import Example

MAX_IMAGES = 1000


def _safe(name: str) -> str:
    p = PurePosixPath(name)
    if p.is_absolute() or ".." in p.parts or "\\" in name:
        raise ConfigError(f"unsafe file name in the dataset: {name!r}")
    return str(p)


def read_dataset_zip(path: str | Path) -> list[Example]:
    """The images and captions listed in metadata.jsonl; a listed file that is missing is an error."""
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        meta = next((n for n in names if PurePosixPath(n).name == "metadata.jsonl"), None)
        if meta is None:
            raise ConfigError(f"{path}: no metadata.jsonl in the ZIP")
        root = PurePosixPath(meta).parent
        examples: list[Example] = []
        for i, line in enumerate(zf.read(meta).decode("utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            row = json.loads(line)
            if not isinstance(row.get("file_name"), str) or not isinstance(row.get("text"), str):
                raise ConfigError(f"metadata.jsonl line {i}: needs string file_name and text")
            member = _safe(str(root / row["file_name"]) if str(root) != "." else row["file_name"])
            if member not in names:
                raise ConfigError(f"metadata.jsonl line {i}: {row['file_name']!r} is not in the ZIP")
            image = Image.open(io.BytesIO(zf.read(member)))
            image.load()
            examples.append(Example(image.convert("RGB"), row["text"]))
            if len(examples) > MAX_IMAGES:
                raise ConfigError(f"more than {MAX_IMAGES} images")
    if not examples:
        raise ConfigError(f"{path}: metadata.jsonl lists no images")
    return examples
