"""The app's dataset export is a training set as it is: it loads with Hugging Face
`datasets` imagefolder, every image found, and `sid-gpu train` trains from it alone.

The ZIP is made by the app's own export code (`scripts/export-dataset.ts`, the same
functions as the subject page's download) from a small DreamBooth-style folder with a
JPEG and a PNG, so a file name that does not match its image would show here.
"""

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from conftest import TINY_RESOLUTION
from sid_gpu.cli import main
from sid_gpu.dataset import read_dataset_zip
from sid_gpu.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]
EXPORT = REPO / "scripts" / "export-dataset.ts"


@pytest.fixture(scope="module")
def dataset_zip(tmp_path_factory) -> Path:
    node = shutil.which("node")
    if node is None or not EXPORT.exists() or not (REPO / "node_modules" / "tsx").exists():
        pytest.skip("needs the app checkout with node_modules (node, tsx) next to gpu-service")
    root = tmp_path_factory.mktemp("export")
    folder = root / "dataset"
    (folder / "toy").mkdir(parents=True)
    (folder / "prompts_and_classes.txt").write_text("Classes\n\nsubject_name,class\ntoy,dog\n")
    Image.new("RGB", (64, 48), (200, 40, 40)).save(folder / "toy" / "00.jpg", quality=95)
    Image.new("RGB", (48, 64), (40, 40, 200)).save(folder / "toy" / "01.png")
    out = root / "toy-case1.zip"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DATA_DIR"] = str(root / "app-data")
    subprocess.run(
        [node, "--import", "tsx", str(EXPORT), "--subject", "toy", "--case", "1", "--out", str(out),
         "--dataset", str(folder)],
        cwd=REPO, env=env, check=True, timeout=300, capture_output=True,
    )
    return out


def test_the_export_loads_with_imagefolder_every_image_found(dataset_zip, tmp_path):
    datasets = pytest.importorskip("datasets")
    with zipfile.ZipFile(dataset_zip) as zf:
        zf.extractall(tmp_path / "data")
        listed = [json.loads(line)["file_name"] for line in zf.read("metadata.jsonl").decode().splitlines()]
    assert sorted(listed) == ["00.jpg", "01.png"]
    ds = datasets.load_dataset("imagefolder", data_dir=str(tmp_path / "data"), split="train")
    assert len(ds) == 2
    assert sorted(ds["text"]) == ["a sks dog", "a sks dog"]
    sizes = sorted(row["image"].size for row in ds)
    assert sizes == [(48, 64), (64, 48)]


def test_sid_gpu_trains_from_the_zip_without_the_app(dataset_zip, sd_path, tmp_path):
    examples = read_dataset_zip(dataset_zip)
    assert [e.caption for e in examples] == ["a sks dog", "a sks dog"]
    out = tmp_path / "trained"
    code = main([
        "train", str(dataset_zip), "--model", str(sd_path), "--out", str(out), "--class-noun", "dog",
        "--steps", "2", "--resolution", str(TINY_RESOLUTION), "--learning-rate", "1e-4", "--device", "cpu",
    ])
    assert code == 0
    assert (out / "model_index.json").exists() and (out / "unet").is_dir()


def test_a_listed_image_missing_from_the_zip_is_refused(tmp_path):
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("metadata.jsonl", json.dumps({"file_name": "00.png", "text": "a sks dog"}) + "\n")
    with pytest.raises(ConfigError, match="not in the ZIP"):
        read_dataset_zip(bad)
