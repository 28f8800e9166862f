"""Model names resolve to local folders only; a missing model is a clear error."""

import pytest

from sid_gpu.errors import ConfigError
from sid_gpu.models import resolve_model


def test_model_dir_wins(tmp_path):
    folder = tmp_path / "stabilityai" / "stable-diffusion-2-1-base"
    folder.mkdir(parents=True)
    assert resolve_model("stabilityai/stable-diffusion-2-1-base", model_dir=tmp_path) == folder


def test_absolute_path(tmp_path):
    assert resolve_model(str(tmp_path)) == tmp_path
    with pytest.raises(ConfigError, match="does not exist"):
        resolve_model(str(tmp_path / "nope"))


def test_hugging_face_cache_is_used_offline(tmp_path):
    # The cache layout huggingface_hub writes: refs/main names the snapshot.
    repo = tmp_path / "models--org--model"
    snapshot = repo / "snapshots" / ("c" * 40)
    snapshot.mkdir(parents=True)
    (snapshot / "model_index.json").write_text("{}")
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("c" * 40)
    assert resolve_model("org/model", model_dir=tmp_path / "empty", cache_dir=tmp_path) == snapshot


def test_missing_model_is_a_config_error_that_says_what_to_do(tmp_path):
    with pytest.raises(ConfigError) as info:
        resolve_model("org/absent", model_dir=tmp_path, cache_dir=tmp_path)
    assert "not available offline" in str(info.value)
    assert "hf download org/absent" in str(info.value)
