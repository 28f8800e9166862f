"""Tiny random-weight stand-ins for Stable Diffusion and CLIP, built in code.

Real weights cannot be downloaded everywhere this worker is developed and
tested, so the tests, the benchmark's default config and `sid-gpu
tiny-models DIR` build the same architectures at toy sizes (as diffusers'
own tests do) and save them with save_pretrained, laid out exactly like the
real model folders. Every code path (training, DDIM sampling, attention
hooks, CLIP metrics) then runs for real, in seconds, on a CPU. The pictures
are noise, of course.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import torch
from diffusers import AutoencoderKL, PNDMScheduler, StableDiffusionPipeline, UNet2DConditionModel
from transformers import (
    BertConfig,
    BertTokenizer,
    CLIPConfig,
    CLIPImageProcessor,
    CLIPModel,
    CLIPProcessor,
    CLIPTextConfig,
    CLIPTextModel,
    CLIPTokenizer,
    GroundingDinoConfig,
    GroundingDinoForObjectDetection,
    GroundingDinoImageProcessor,
    GroundingDinoProcessor,
    SamConfig,
    SamImageProcessor,
    SamMaskDecoderConfig,
    SamModel,
    SamProcessor,
    SamPromptEncoderConfig,
    SamVisionConfig,
    SwinConfig,
)

from .settings import Settings

# Names the app sends (and the worker's segmentation defaults);
# `write_tiny_models` stores the toys under them so that `--model-dir` finds
# them without changing any payload or flag.
SD_NAME = "stabilityai/stable-diffusion-2-1-base"
CLIP_NAME = "openai/clip-vit-base-patch32"
GROUNDING_NAME = Settings.grounding_model
SAM_NAME = Settings.sam_model

WORDS = (
    "a an the of in on at with and photo picture painting style art sks dog cat toy backpack "
    "snow beach grass couch table red blue green white black sitting wearing hat sunglasses "
    "city street forest"
).split()
TINY_RESOLUTION = 32  # pixels; the VAE below downsamples by 2, the UNet works at 16x16


def write_tokenizer_files(directory: Path) -> None:
    """A CLIP BPE vocabulary: every letter, digit and some punctuation (so any
    text tokenizes without unknowns) plus whole-word tokens for WORDS, built by
    left-to-right merges."""
    vocab: dict[str, int] = {"<|startoftext|>": 0, "<|endoftext|>": 1}
    merges: list[str] = []

    def add(token: str) -> None:
        vocab.setdefault(token, len(vocab))

    for ch in "abcdefghijklmnopqrstuvwxyz0123456789,.'!-":
        add(ch)
        add(ch + "</w>")
    for word in WORDS:
        parts = [*word[:-1], word[-1] + "</w>"]
        while len(parts) > 1:
            merge = f"{parts[0]} {parts[1]}"
            if merge not in merges:
                merges.append(merge)
            parts = [parts[0] + parts[1], *parts[2:]]
            add(parts[0])
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "vocab.json").write_text(json.dumps(vocab))
    (directory / "merges.txt").write_text("#version: 0.2\n" + "\n".join(merges) + "\n")
    (directory / "tokenizer_config.json").write_text(json.dumps({"model_max_length": 77}))


def tiny_tokenizer() -> CLIPTokenizer:
    with tempfile.TemporaryDirectory() as tmp:
        write_tokenizer_files(Path(tmp))
        return CLIPTokenizer.from_pretrained(tmp)


def _text_config(tokenizer: CLIPTokenizer) -> dict:
    return dict(
        vocab_size=len(tokenizer),
        hidden_size=32,
        intermediate_size=37,
        num_hidden_layers=2,
        num_attention_heads=4,
        max_position_embeddings=77,
        bos_token_id=0,
        eos_token_id=1,
        pad_token_id=1,
    )


def build_tiny_sd(path: Path, prediction_type: str = "epsilon", seed: int = 0) -> Path:
    """Save a tiny Stable Diffusion pipeline folder at `path` and return it."""
    torch.manual_seed(seed)
    tokenizer = tiny_tokenizer()
    unet = UNet2DConditionModel(
        block_out_channels=(32, 64),
        layers_per_block=1,
        sample_size=TINY_RESOLUTION // 2,
        in_channels=4,
        out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=32,
        attention_head_dim=(2, 4),
    )
    vae = AutoencoderKL(
        block_out_channels=(32, 64),
        in_channels=3,
        out_channels=3,
        down_block_types=("DownEncoderBlock2D", "DownEncoderBlock2D"),
        up_block_types=("UpDecoderBlock2D", "UpDecoderBlock2D"),
        latent_channels=4,
        sample_size=TINY_RESOLUTION,
    )
    text_encoder = CLIPTextModel(CLIPTextConfig(**_text_config(tokenizer)))
    # SD 2.1-base ships a PNDM scheduler; keeping that here exercises the
    # conversion to DDPM (training) and DDIM (sampling) that real runs do.
    scheduler = PNDMScheduler(
        beta_start=0.00085,
        beta_end=0.012,
        beta_schedule="scaled_linear",
        num_train_timesteps=1000,
        skip_prk_steps=True,
        steps_offset=1,
        prediction_type=prediction_type,
    )
    pipe = StableDiffusionPipeline(
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        unet=unet,
        scheduler=scheduler,
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )
    pipe.save_pretrained(path)
    return path


def build_tiny_clip(path: Path, seed: int = 0) -> Path:
    """Save a tiny CLIPModel + CLIPProcessor folder at `path` and return it."""
    torch.manual_seed(seed)
    tokenizer = tiny_tokenizer()
    config = CLIPConfig(
        text_config=_text_config(tokenizer),
        vision_config=dict(
            hidden_size=32,
            intermediate_size=37,
            num_hidden_layers=2,
            num_attention_heads=4,
            image_size=32,
            patch_size=8,
        ),
        projection_dim=16,
    )
    CLIPModel(config).save_pretrained(path)
    image_processor = CLIPImageProcessor(size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32})
    CLIPProcessor(image_processor=image_processor, tokenizer=tokenizer).save_pretrained(path)
    return path


def build_tiny_grounding_dino(path: Path, seed: int = 0) -> Path:
    """Save a tiny GroundingDINO (Swin + BERT) with its processor at `path`."""
    torch.manual_seed(seed)
    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", *WORDS]
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "vocab.txt").write_text("\n".join(words) + "\n")
        tokenizer = BertTokenizer(str(Path(tmp) / "vocab.txt"))
    config = GroundingDinoConfig(
        backbone_config=SwinConfig(
            embed_dim=8,
            depths=[1, 1],
            num_heads=[1, 1],
            window_size=4,
            image_size=32,
            out_features=["stage1", "stage2"],
        ),
        text_config=BertConfig(
            vocab_size=len(words),
            hidden_size=32,
            num_hidden_layers=1,
            num_attention_heads=2,
            intermediate_size=37,
            max_position_embeddings=64,
        ),
        d_model=32,
        encoder_layers=1,
        decoder_layers=2,
        encoder_ffn_dim=32,
        decoder_ffn_dim=32,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        num_queries=5,
        encoder_n_points=2,
        decoder_n_points=2,
        num_feature_levels=2,
        max_text_len=16,
        use_timm_backbone=False,
        backbone=None,
        use_pretrained_backbone=False,
    )
    GroundingDinoForObjectDetection(config).save_pretrained(path)
    image_processor = GroundingDinoImageProcessor(size={"shortest_edge": 32, "longest_edge": 32})
    GroundingDinoProcessor(image_processor=image_processor, tokenizer=tokenizer).save_pretrained(path)
    return path


def build_tiny_sam(path: Path, seed: int = 0) -> Path:
    """Save a tiny SAM with its processor (64-pixel inputs) at `path`."""
    torch.manual_seed(seed)
    config = SamConfig(
        vision_config=SamVisionConfig(
            hidden_size=16,
            output_channels=16,
            num_hidden_layers=1,
            num_attention_heads=2,
            image_size=64,
            patch_size=16,
            mlp_dim=32,
            global_attn_indexes=[0],
            window_size=0,
            num_pos_feats=8,
        ),
        prompt_encoder_config=SamPromptEncoderConfig(
            hidden_size=16, image_size=64, patch_size=16, mask_input_channels=4
        ),
        mask_decoder_config=SamMaskDecoderConfig(
            hidden_size=16, mlp_dim=32, num_hidden_layers=2, num_attention_heads=2, iou_head_hidden_dim=16
        ),
    )
    SamModel(config).save_pretrained(path)
    image_processor = SamImageProcessor(
        size={"longest_edge": 64},
        pad_size={"height": 64, "width": 64},
        mask_size={"longest_edge": 16},
        mask_pad_size={"height": 16, "width": 16},
    )
    SamProcessor(image_processor=image_processor).save_pretrained(path)
    return path


def write_tiny_models(root: Path) -> dict[str, Path]:
    """All toys under the default model names, for `--model-dir root`."""
    return {
        SD_NAME: build_tiny_sd(root / SD_NAME),
        CLIP_NAME: build_tiny_clip(root / CLIP_NAME),
        GROUNDING_NAME: build_tiny_grounding_dino(root / GROUNDING_NAME),
        SAM_NAME: build_tiny_sam(root / SAM_NAME),
    }
