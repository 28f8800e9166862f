"""The real stable-diffusion-2-1-base architecture with random weights.

The paper trains every method on stable-diffusion-2-1-base (Sec. C.2). Its
weights are a multi-gigabyte download that research machines often cannot
make, but its architecture is just three published configurations: the UNet,
the VAE and the OpenCLIP-H text tower (which diffusers loads as a
`CLIPTextModel`). They are written out below, as published in the model's
repository (`unet/config.json`, `vae/config.json`, `text_encoder/config.json`,
`scheduler/scheduler_config.json`), so that `sid-gpu sd21-random DIR` and the
benchmark (bench/gpu/) build a model that does exactly the real compute:
same layers, same widths, same FLOPs, same memory. The pictures are noise.

The tokenizer is the one part not reproduced: the real one is a 49,408-entry
BPE vocabulary. The toy tokenizer of tiny_models.py stands in; every caption
is padded to 77 tokens either way, so the text encoder's compute is the same.

`width` < 1 scales every channel count (UNet blocks, VAE blocks, text hidden
size) while keeping the layout (block types, depths, heads, attention
resolutions): the CPU fallback of the benchmark, which cannot hold the full
model's optimizer state on a small machine. It is labelled wherever used.
"""

from __future__ import annotations

from pathlib import Path

import torch
from diffusers import AutoencoderKL, PNDMScheduler, StableDiffusionPipeline, UNet2DConditionModel
from transformers import CLIPTextConfig, CLIPTextModel

from .tiny_models import tiny_tokenizer

# stabilityai/stable-diffusion-2-1-base, unet/config.json
UNET_CONFIG: dict = {
    "act_fn": "silu",
    "attention_head_dim": [5, 10, 20, 20],
    "block_out_channels": [320, 640, 1280, 1280],
    "center_input_sample": False,
    "cross_attention_dim": 1024,
    "down_block_types": ["CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"],
    "downsample_padding": 1,
    "dual_cross_attention": False,
    "flip_sin_to_cos": True,
    "freq_shift": 0,
    "in_channels": 4,
    "layers_per_block": 2,
    "mid_block_scale_factor": 1,
    "norm_eps": 1e-05,
    "norm_num_groups": 32,
    "num_class_embeds": None,
    "only_cross_attention": False,
    "out_channels": 4,
    "sample_size": 64,
    "up_block_types": ["UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"],
    "use_linear_projection": True,
}

# vae/config.json
VAE_CONFIG: dict = {
    "act_fn": "silu",
    "block_out_channels": [128, 256, 512, 512],
    "down_block_types": ["DownEncoderBlock2D"] * 4,
    "in_channels": 3,
    "latent_channels": 4,
    "layers_per_block": 2,
    "norm_num_groups": 32,
    "out_channels": 3,
    "sample_size": 512,
    "up_block_types": ["UpDecoderBlock2D"] * 4,
}

# text_encoder/config.json: OpenCLIP ViT-H/14's text tower, penultimate layer
# (24 layers in OpenCLIP, SD 2 uses 23), loaded by diffusers as CLIPTextModel.
TEXT_ENCODER_CONFIG: dict = {
    "attention_dropout": 0.0,
    "bos_token_id": 0,
    "dropout": 0.0,
    "eos_token_id": 2,
    "hidden_act": "gelu",
    "hidden_size": 1024,
    "initializer_factor": 1.0,
    "initializer_range": 0.02,
    "intermediate_size": 4096,
    "layer_norm_eps": 1e-05,
    "max_position_embeddings": 77,
    "num_attention_heads": 16,
    "num_hidden_layers": 23,
    "pad_token_id": 1,
    "projection_dim": 512,
    "vocab_size": 49408,
}

# scheduler/scheduler_config.json
SCHEDULER_CONFIG: dict = {
    "beta_end": 0.012,
    "beta_schedule": "scaled_linear",
    "beta_start": 0.00085,
    "clip_sample": False,
    "num_train_timesteps": 1000,
    "prediction_type": "epsilon",
    "set_alpha_to_one": False,
    "skip_prk_steps": True,
    "steps_offset": 1,
}

# Parameter counts of the published checkpoint (its safetensors files), which
# the configs above must reproduce exactly; tests/test_sd21_base.py checks it.
PUBLISHED_PARAMETERS = {"unet": 865_910_724, "vae": 83_653_863, "text_encoder": 340_387_840}


def _scaled(channels: list[int], width: float, multiple: int) -> list[int]:
    return [max(multiple, round(c * width / multiple) * multiple) for c in channels]


def unet_config(width: float = 1.0) -> dict:
    config = dict(UNET_CONFIG)
    if width != 1.0:
        # Heads keep their count per block; the head size shrinks with the width.
        config["block_out_channels"] = _scaled(UNET_CONFIG["block_out_channels"], width, 64)
        config["cross_attention_dim"] = _scaled([UNET_CONFIG["cross_attention_dim"]], width, 64)[0]
    return config


def vae_config(width: float = 1.0) -> dict:
    config = dict(VAE_CONFIG)
    if width != 1.0:
        config["block_out_channels"] = _scaled(VAE_CONFIG["block_out_channels"], width, 32)
    return config


def text_encoder_config(width: float = 1.0, vocab_size: int | None = None) -> CLIPTextConfig:
    config = dict(TEXT_ENCODER_CONFIG)
    if width != 1.0:
        config["hidden_size"] = unet_config(width)["cross_attention_dim"]
        config["intermediate_size"] = 4 * config["hidden_size"]
    if vocab_size is not None:
        config["vocab_size"] = vocab_size
    return CLIPTextConfig(**config)


def build_unet(width: float = 1.0) -> UNet2DConditionModel:
    return UNet2DConditionModel(**unet_config(width))


def build_vae(width: float = 1.0) -> AutoencoderKL:
    return AutoencoderKL(**vae_config(width))


def build_text_encoder(width: float = 1.0) -> CLIPTextModel:
    return CLIPTextModel(text_encoder_config(width))


def build_sd21_base(path: Path, width: float = 1.0, seed: int = 0) -> Path:
    """Save a random-weight stable-diffusion-2-1-base folder at `path` (laid
    out like the real one, loadable with from_pretrained) and return it."""
    torch.manual_seed(seed)
    pipe = StableDiffusionPipeline(
        vae=build_vae(width),
        text_encoder=build_text_encoder(width),
        tokenizer=tiny_tokenizer(),
        unet=build_unet(width),
        scheduler=PNDMScheduler.from_config(SCHEDULER_CONFIG),  # clip_sample is for DDIM; ignored here
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )
    pipe.save_pretrained(path)
    return path
