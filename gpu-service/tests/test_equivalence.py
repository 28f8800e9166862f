"""Training steps of ours equal the steps of diffusers' recipes.

For each method with a reference script in diffusers, train two optimizer
steps with our recipe on the tiny model, record the micro-batches it drew
(latents, noise, timesteps, captions), then take the same steps with the
reference in tests/reference/ (diffusers' classes, the script's setup,
written apart from sid_gpu) and compare each step's loss and every trained
tensor after the updates within 1e-5. Two steps, not one: Adam's first step
is blind to a uniform rescaling of the gradient, so only a second step
shows whether clipping matches. Learning rates are raised so that the
update (~1e-3 per element per step) is far above the tolerance.
"""

import pytest
import torch

from conftest import CAPTIONS, make_payload, make_reference
from reference import recipes
from sid_gpu.methods import custom_diffusion, dreambooth, lora, svdiff, textual_inversion
from sid_gpu.methods.common import Example, StepInputs, TrainSpec
from sid_gpu.models import load_pipeline
from sid_gpu.protocol import TrainingConfig

TOL = 1e-5


def run_ours(train, sd_path, tmp_path, identifier="sks", **training):
    raw = make_payload(n_images=0)["training"] | {"steps": 2, "seed": 3} | training
    captions = [c.replace("sks", identifier) for c in CAPTIONS]
    examples = [Example(make_reference(i)[0], c) for i, c in enumerate(captions)]
    recorded: list[list[StepInputs]] = []
    pipeline = load_pipeline(sd_path, torch.device("cpu"))
    spec = TrainSpec(
        examples,
        TrainingConfig.model_validate(raw),
        identifier,
        "dog",
        cache_dir=tmp_path,
        class_image_steps=1,
        on_step=lambda info: recorded.append(info.inputs),
    )
    result = train(pipeline, spec)
    steps = [[recipes.MicroBatch(b.latents, b.noise, b.timesteps, b.captions) for b in step] for step in recorded]
    return result.losses, pipeline, steps


def assert_losses(ours: list[float], ref: list[float]):
    assert len(ours) == len(ref) == 2
    assert all(abs(a - b) < TOL for a, b in zip(ours, ref)), (ours, ref)


def assert_same(ours: torch.Tensor, ref: torch.Tensor, before: torch.Tensor, what: str):
    assert torch.allclose(ours, ref, atol=TOL, rtol=0), f"{what}: max diff {(ours - ref).abs().max():.2e}"
    assert (ref - before).abs().max() > 20 * TOL, f"{what} did not move enough for the test to mean anything"


def test_dreambooth_with_prior_preservation_and_text_encoder(sd_path, tmp_path):
    losses, ours, steps = run_ours(
        dreambooth.train, sd_path, tmp_path, learning_rate=1e-3, prior_preservation=True, num_class_images=2,
        train_text_encoder=True, prior_loss_weight=0.7,
    )
    assert all(len(s) == 1 and len(s[0].captions) == 2 and s[0].captions[1] == "a dog" for s in steps)
    ref_losses, ref = recipes.dreambooth_steps(sd_path, steps, lr=1e-3, prior_loss_weight=0.7)
    assert_losses(losses, ref_losses)
    before = recipes.load(sd_path)
    for module, name in ((ours.unet, "unet"), (ours.text_encoder, "text_encoder")):
        ref_params = dict(getattr(ref, name).named_parameters())
        start = dict(getattr(before, name).named_parameters())
        for key, p in module.named_parameters():
            assert torch.allclose(p, ref_params[key], atol=TOL, rtol=0), f"{name}.{key}"
        key = "conv_in.weight" if name == "unet" else "embeddings.token_embedding.weight"
        assert_same(module.get_parameter(key), ref_params[key], start[key], f"{name}.{key}")


def test_textual_inversion_with_accumulation_and_scaled_lr(sd_path, tmp_path):
    losses, ours, steps = run_ours(
        textual_inversion.train, sd_path, tmp_path, identifier="zwx", learning_rate=5e-4, scale_lr=True,
        gradient_accumulation_steps=2, prior_preservation=False,
    )
    assert [len(s) for s in steps] == [2, 2]  # two micro-batches per step
    ref_losses, ref = recipes.textual_inversion_steps(
        sd_path, steps, lr=5e-4, placeholder="zwx", initializer="dog", batch_size=1
    )
    assert_losses(losses, ref_losses)
    token = ref.tokenizer.convert_tokens_to_ids("zwx")
    assert ours.tokenizer.convert_tokens_to_ids("zwx") == token
    table, ref_table = ours.text_encoder.get_input_embeddings().weight, ref.text_encoder.get_input_embeddings().weight
    assert torch.allclose(table, ref_table, atol=TOL, rtol=0)
    initial = recipes.load(sd_path).text_encoder.get_input_embeddings().weight
    dog = ref.tokenizer.encode("dog", add_special_tokens=False)[0]
    assert_same(table[token], ref_table[token], initial[dog], "identifier embedding")


def test_custom_diffusion_kv_and_modifier_token(sd_path, tmp_path):
    losses, ours, steps = run_ours(
        custom_diffusion.train, sd_path, tmp_path, identifier="zwx", learning_rate=5e-4, scale_lr=True,
        prior_preservation=True, num_class_images=2,
    )
    fresh = recipes.load(sd_path)
    pieces = fresh.tokenizer.encode("zwx", add_special_tokens=False)
    initial_row = fresh.text_encoder.get_input_embeddings().weight[pieces].mean(0).detach()
    ref_losses, ref = recipes.custom_diffusion_steps(
        sd_path, steps, lr=5e-4, modifier_token="zwx", initial_row=initial_row, batch_size=1
    )
    assert_losses(losses, ref_losses)
    layers = custom_diffusion.cross_attention_layers(ours.unet)
    assert layers
    procs = ref.unet.attn_processors
    for name, attn in layers.items():
        proc, start = procs[f"{name}.processor"], fresh.unet.get_submodule(name)
        assert_same(attn.to_k.weight, proc.to_k_custom_diffusion.weight, start.to_k.weight, f"{name}.to_k")
        assert_same(attn.to_v.weight, proc.to_v_custom_diffusion.weight, start.to_v.weight, f"{name}.to_v")
    # Everything else in the UNet is untouched on both sides.
    for key, p in ours.unet.named_parameters():
        if not key.endswith(("attn2.to_k.weight", "attn2.to_v.weight")):
            assert torch.equal(p, fresh.unet.get_parameter(key)), key
    token = ref.tokenizer.convert_tokens_to_ids("zwx")
    table, ref_table = ours.text_encoder.get_input_embeddings().weight, ref.text_encoder.get_input_embeddings().weight
    assert torch.allclose(table, ref_table, atol=TOL, rtol=0)
    assert_same(table[token], ref_table[token], initial_row, "modifier token embedding")


def test_lora_dreambooth(sd_path, tmp_path):
    losses, ours, steps = run_ours(
        lora.train, sd_path, tmp_path, learning_rate=1e-3, lora_rank=4, prior_preservation=False,
        train_text_encoder=False, seed=5,
    )
    ref_losses, ref = recipes.lora_steps(sd_path, steps, lr=1e-3, rank=4, seed=5)
    assert_losses(losses, ref_losses)
    ours_lora = {k: p for k, p in ours.unet.named_parameters() if "lora_" in k}
    ref_lora = {k: p for k, p in ref.unet.named_parameters() if "lora_" in k}
    assert ours_lora.keys() == ref_lora.keys() and ours_lora
    for key, p in ours_lora.items():
        assert torch.allclose(p, ref_lora[key], atol=TOL, rtol=0), key
    b = next(k for k in ours_lora if "lora_B" in k)  # B starts at zero: its value is the update
    assert_same(ours_lora[b], ref_lora[b], torch.zeros_like(ref_lora[b]), b)


@pytest.mark.parametrize("shape", [(8, 6), (8, 4, 3, 3)], ids=["linear", "conv"])
def test_svdiff_spectral_shift_matches_svdiff_pytorch(shape):
    """diffusers has no SVDiff: compare our parametrization with the weight
    svdiff-pytorch's SVDLinear/SVDConv2d compute, value and gradient."""
    torch.manual_seed(0)
    weight = torch.randn(shape)
    shift = svdiff.SpectralShift(weight)
    delta = torch.randn_like(shift.delta) * 0.3
    with torch.no_grad():
        shift.delta.copy_(delta)
    ref_delta = delta.clone().requires_grad_(True)
    ours, ref = shift(weight), recipes.svdiff_linear(weight, ref_delta)
    assert torch.allclose(ours, ref, atol=TOL)
    probe = torch.randn(shape)
    (ours * probe).sum().backward()
    (ref * probe).sum().backward()
    assert torch.allclose(shift.delta.grad, ref_delta.grad, atol=TOL)
    with torch.no_grad():
        shift.delta.zero_()
    assert torch.allclose(shift(weight), weight, atol=TOL)  # zero shift: the original weight
