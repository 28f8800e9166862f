"""Every method, with and without SID captions, trains and samples on the
tiny model, and trains exactly the parts its recipe names."""

import pytest
import torch

from conftest import CAPTIONS, make_payload, make_reference
from sid_gpu.jobs import METHODS
from sid_gpu.methods.common import Example, TrainSpec
from sid_gpu.methods.custom_diffusion import cross_attention_layers
from sid_gpu.progress import NullReporter
from sid_gpu.protocol import RunPayload
from sid_gpu.sampling import sample_all

EXTRA = {"svdiff": {"learning_rate_1d": 1e-6}, "lora": {"lora_rank": 4}}
BASELINE = ["a sks dog"] * 3  # description case 1


def payload_for(method: str, **training) -> RunPayload:
    raw = make_payload(n_images=3, method=method)
    defaults = dict(steps=2, num_class_images=1, gradient_accumulation_steps=2, scale_lr=True)
    raw["training"].update({**defaults, **EXTRA.get(method, {}), **training})
    raw["sampling"]["seeds"] = [0]
    raw["metrics"]["enabled"] = False
    return RunPayload.model_validate(raw)


def snapshot(pipeline) -> dict[str, torch.Tensor]:
    state = {f"unet.{k}": v for k, v in pipeline.unet.state_dict().items()}
    state |= {f"text.{k}": v for k, v in pipeline.text_encoder.state_dict().items()}
    return {k: v.detach().clone() for k, v in state.items()}


def changed(before, pipeline) -> set[str]:
    after = snapshot(pipeline)
    return {k for k, v in before.items() if k in after and not torch.equal(v, after[k])}


@pytest.mark.parametrize("captions", [BASELINE, CAPTIONS], ids=["case1", "sid"])
@pytest.mark.parametrize("method", sorted(METHODS))
def test_method_trains_and_samples(method, captions, pipeline, tmp_path):
    payload = payload_for(method)
    examples = [Example(make_reference(i)[0], c) for i, c in enumerate(captions)]
    seen: list[list[str]] = []
    before = snapshot(pipeline)
    spec = TrainSpec(
        examples,
        payload.training,
        "sks",
        "dog",
        cache_dir=tmp_path,
        class_image_steps=1,
        on_step=lambda info: seen.append(info.captions),
    )
    result = METHODS[method](pipeline, spec)

    assert len(result.losses) == 2 and all(torch.isfinite(torch.tensor(result.losses)))
    # Two micro-batches per step (accumulation), each with its own caption.
    assert all(len(c) == 2 and set(c) <= set(captions) for c in seen)
    moved = changed(before, pipeline)
    unet_moved = {k for k in moved if k.startswith("unet.")}
    text_moved = moved - unet_moved
    if method == "dreambooth":
        assert unet_moved and text_moved
    elif method == "textual_inversion":
        assert not unet_moved and text_moved == {"text.embeddings.token_embedding.weight"}
    elif method == "custom_diffusion":
        kv = {f"unet.{n}.{p}.weight" for n in cross_attention_layers(pipeline.unet) for p in ("to_k", "to_v")}
        assert unet_moved == kv
        assert text_moved == {"text.embeddings.token_embedding.weight"}
    elif method == "svdiff":
        assert unet_moved and text_moved  # folded spectral shifts
        assert not any("parametrizations" in k for k in snapshot(pipeline))
    elif method == "lora":
        assert not unet_moved  # base weights frozen; the adapters hold the update
        assert any("lora_B" in k for k in snapshot(pipeline))

    with torch.no_grad():
        samples = sample_all(result.pipeline, payload, NullReporter())
    assert len(samples) == 1 and samples[0].image.size == (32, 32) and samples[0].attention is not None


def test_learning_rate_is_scaled_per_method():
    from sid_gpu.methods.common import effective_learning_rate

    ti = payload_for("textual_inversion", learning_rate=5e-4, batch_size=1, gradient_accumulation_steps=4)
    assert effective_learning_rate(ti.training) == pytest.approx(2e-3)
    cd = payload_for("custom_diffusion", learning_rate=1e-5, batch_size=2, gradient_accumulation_steps=1)
    assert effective_learning_rate(cd.training, prior_doubles=True) == pytest.approx(4e-5)
    db = payload_for("dreambooth", scale_lr=False)
    assert effective_learning_rate(db.training) == db.training.learning_rate
