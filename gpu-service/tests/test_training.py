"""The training recipes on the tiny model: captions, losses, prior, saving."""

from collections import Counter

import pytest
import torch
from diffusers import StableDiffusionPipeline

from conftest import CAPTIONS, make_payload, make_reference
from sid_gpu.errors import ConfigError, JobCancelled
from sid_gpu.methods import dreambooth, textual_inversion
from sid_gpu.methods.common import Example, TrainSpec
from sid_gpu.models import load_pipeline
from sid_gpu.protocol import TrainingConfig


def examples() -> list[Example]:
    return [Example(make_reference(i)[0], CAPTIONS[i]) for i in range(3)]


def config(**changes) -> TrainingConfig:
    return TrainingConfig.model_validate({**make_payload(n_images=0)["training"], **changes})


def test_each_image_is_trained_with_its_own_caption(pipeline, tmp_path):
    seen: list[list[str]] = []
    unet_before = {k: v.clone() for k, v in pipeline.unet.state_dict().items()}
    spec = TrainSpec(
        examples(),
        config(steps=6, prior_preservation=False),
        "sks",
        "dog",
        on_step=lambda info: seen.append(info.captions),
    )
    result = dreambooth.train(pipeline, spec)

    # Every step tokenized exactly the caption of the image it drew, and one
    # epoch of three steps covers each image (and so each caption) once.
    assert all(len(c) == 1 and c[0] in CAPTIONS for c in seen)
    assert Counter(c[0] for c in seen[:3]) == Counter(CAPTIONS)
    assert Counter(c[0] for c in seen[3:]) == Counter(CAPTIONS)

    assert len(result.losses) == 6 and all(torch.isfinite(torch.tensor(result.losses)))
    assert result.final_loss == result.losses[-1]
    changed = any(not torch.equal(unet_before[k], v) for k, v in pipeline.unet.state_dict().items())
    assert changed, "the UNet did not train"

    result.save(tmp_path / "trained")
    reloaded = StableDiffusionPipeline.from_pretrained(tmp_path / "trained", local_files_only=True)
    for k, v in pipeline.unet.state_dict().items():
        assert torch.equal(reloaded.unet.state_dict()[k], v)


def test_prior_preservation_generates_then_reuses_class_images(sd_path, tmp_path):
    class_steps: list[list[str]] = []
    reports: list[tuple[str, float, str]] = []

    class Recorder:
        def report(self, stage, progress, message):
            reports.append((stage, progress, message))

        def check(self):
            pass

    cfg = config(steps=2, prior_preservation=True, num_class_images=2, batch_size=2, gradient_checkpointing=True)
    spec = TrainSpec(
        examples(),
        cfg,
        "sks",
        "dog",
        reporter=Recorder(),
        cache_dir=tmp_path,
        class_image_steps=2,
        on_step=lambda info: class_steps.append(info.captions),
    )
    result = dreambooth.train(load_pipeline(sd_path, torch.device("cpu")), spec)
    assert len(result.losses) == 2 and all(torch.isfinite(torch.tensor(result.losses)))
    assert [len(c) for c in class_steps] == [2, 2]  # batch of two instance captions
    stages = [r[0] for r in reports]
    assert stages.count("class_images") == 2 and stages[-1] == "training"
    cached = sorted(tmp_path.glob("class_images/*/*.png"))
    assert len(cached) == 2

    # A second run of the same class reuses the cached images (no new files,
    # same bytes).
    before = [p.read_bytes() for p in cached]
    dreambooth.train(load_pipeline(sd_path, torch.device("cpu")), spec)
    assert [p.read_bytes() for p in sorted(tmp_path.glob("class_images/*/*.png"))] == before


def test_v_prediction_model_trains(sd_v_path):
    pipe = load_pipeline(sd_v_path, torch.device("cpu"))
    assert pipe.scheduler.config.prediction_type == "v_prediction"
    result = dreambooth.train(pipe, TrainSpec(examples(), config(steps=2, prior_preservation=False), "sks", "dog"))
    assert all(torch.isfinite(torch.tensor(result.losses)))


def test_frozen_text_encoder_and_bf16_autocast(pipeline):
    before = {k: v.clone() for k, v in pipeline.text_encoder.state_dict().items()}
    cfg = config(
        steps=2, prior_preservation=False, train_text_encoder=False, mixed_precision="bf16", use_8bit_adam=True
    )
    result = dreambooth.train(pipeline, TrainSpec(examples(), cfg, "sks", "dog"))
    for k, v in pipeline.text_encoder.state_dict().items():
        assert torch.equal(before[k].to(v.dtype), v)
    assert all(torch.isfinite(torch.tensor(result.losses)))
    # bitsandbytes is not installed here: the fallback is reported, not fatal.
    assert any("bitsandbytes" in n for n in result.notes)


def test_fp16_on_cpu_is_a_config_error(pipeline):
    with pytest.raises(ConfigError, match="fp16"):
        dreambooth.train(pipeline, TrainSpec(examples(), config(mixed_precision="fp16"), "sks", "dog"))


def test_cancel_stops_at_a_step_boundary(pipeline):
    steps: list[int] = []

    class CancelAfterTwo:
        def report(self, stage, progress, message):
            pass

        def check(self):
            if len(steps) == 2:
                raise JobCancelled("cancelled")

    spec = TrainSpec(
        examples(),
        config(steps=100, prior_preservation=False),
        "sks",
        "dog",
        reporter=CancelAfterTwo(),
        on_step=lambda info: steps.append(info.step),
    )
    with pytest.raises(JobCancelled):
        dreambooth.train(pipeline, spec)
    assert steps == [1, 2]


def test_textual_inversion_trains_only_the_identifier_embedding(pipeline):
    unet_before = {k: v.clone() for k, v in pipeline.unet.state_dict().items()}
    table_before = pipeline.text_encoder.get_input_embeddings().weight.detach().clone()
    cfg = config(steps=3, learning_rate=5e-2)
    result = textual_inversion.train(pipeline, TrainSpec(examples(), cfg, "sks", "dog"))

    token = pipeline.tokenizer("sks", add_special_tokens=False).input_ids
    assert token == [len(table_before)]  # a new token, appended
    table = pipeline.text_encoder.get_input_embeddings().weight
    assert torch.equal(table[: len(table_before)], table_before)  # every other row untouched
    assert all(torch.equal(unet_before[k], v) for k, v in pipeline.unet.state_dict().items())
    assert all(torch.isfinite(torch.tensor(result.losses)))
    assert "textual_inversion ignores prior_preservation" in result.notes
