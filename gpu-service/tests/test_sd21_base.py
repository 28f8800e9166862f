"""The full-size stable-diffusion-2-1-base parts, built from the configs in
sid_gpu.sd21_base, are the published architecture: the same parameter count
as each part of the released checkpoint, to the parameter. Built on the meta
device (shapes only), so this takes no memory and well under a second each."""

import pytest
import torch

from sid_gpu import sd21_base
from sid_gpu.cli import main
from sid_gpu.models import load_pipeline


def count(module: torch.nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


@pytest.mark.parametrize(
    "part, build",
    [
        ("unet", sd21_base.build_unet),
        ("vae", sd21_base.build_vae),
        ("text_encoder", sd21_base.build_text_encoder),
    ],
)
def test_full_size_parts_have_the_published_parameter_counts(part, build):
    with torch.device("meta"):
        module = build()
    assert count(module) == sd21_base.PUBLISHED_PARAMETERS[part]


def test_full_size_parts_fit_together():
    with torch.device("meta"):
        unet, vae, text = sd21_base.build_unet(), sd21_base.build_vae(), sd21_base.build_text_encoder()
    # OpenCLIP-H's 1024-wide hidden states are the UNet's cross-attention
    # input; the VAE's 4 latent channels are the UNet's input and output.
    assert text.config.hidden_size == unet.config.cross_attention_dim == 1024
    assert text.config.num_hidden_layers == 23 and text.config.vocab_size == 49408
    assert vae.config.latent_channels == unet.config.in_channels == unet.config.out_channels == 4
    assert 2 ** (len(vae.config.block_out_channels) - 1) * unet.config.sample_size == 512
    with torch.device("meta"):
        out = unet(torch.randn(2, 4, 64, 64), torch.tensor([1, 999]), text(torch.zeros(2, 77, dtype=torch.long))[0])
    assert out.sample.shape == (2, 4, 64, 64)


def test_a_reduced_width_model_saves_and_loads_as_a_pipeline(tmp_path):
    # The benchmark's CPU fallback: same layout, fewer channels.
    path = tmp_path / "sd21"
    assert main(["sd21-random", str(path), "--width", "0.1"]) == 0
    pipeline = load_pipeline(path, torch.device("cpu"))
    assert pipeline.unet.config.down_block_types == sd21_base.UNET_CONFIG["down_block_types"]
    assert pipeline.unet.config.layers_per_block == 2
    assert pipeline.text_encoder.config.num_hidden_layers == 23
    assert pipeline.text_encoder.config.hidden_size == pipeline.unet.config.cross_attention_dim
    assert pipeline.scheduler.config.prediction_type == "epsilon"
    assert count(pipeline.unet) < sd21_base.PUBLISHED_PARAMETERS["unet"] / 50
    image = pipeline("a sks dog", num_inference_steps=1, height=64, width=64, output_type="np").images[0]
    assert image.shape == (64, 64, 3)
