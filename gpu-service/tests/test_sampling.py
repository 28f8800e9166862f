"""DDIM sampling is reproducible per (prompt, seed); attention maps."""

import numpy as np
import torch
from diffusers import DDIMScheduler

from sid_gpu.attention import CrossAttentionRecorder, overlay, token_indices
from sid_gpu.sampling import generate, use_ddim
from sid_gpu.tiny_models import TINY_RESOLUTION

OPTIONS = dict(num_inference_steps=3, guidance_scale=7.5)


def pixels(image):
    return np.asarray(image)


def test_same_seed_same_pixels_different_seed_different_pixels(pipeline):
    use_ddim(pipeline)
    assert isinstance(pipeline.scheduler, DDIMScheduler)
    a = generate(pipeline, "a sks dog in the snow", 7, **OPTIONS)
    b = generate(pipeline, "a sks dog in the snow", 7, **OPTIONS)
    c = generate(pipeline, "a sks dog in the snow", 8, **OPTIONS)
    assert a.size == (TINY_RESOLUTION, TINY_RESOLUTION)
    assert np.array_equal(pixels(a), pixels(b))
    assert not np.array_equal(pixels(a), pixels(c))
    # Another image in between does not change the next one's noise.
    generate(pipeline, "a dog", 3, **OPTIONS, negative_prompt="blurry")
    assert np.array_equal(pixels(a), pixels(generate(pipeline, "a sks dog in the snow", 7, **OPTIONS)))


def test_identifier_token_positions(pipeline):
    tok = pipeline.tokenizer
    assert token_indices(tok, "a sks dog in the snow", "sks") == [2]  # 0 is the start token
    assert token_indices(tok, "sks and a sks dog", "sks") == [1, 4]
    assert token_indices(tok, "a dog", "sks") == []


def test_attention_recorder_averages_identifier_maps_without_changing_the_image(pipeline):
    use_ddim(pipeline)
    latent = TINY_RESOLUTION // pipeline.vae_scale_factor
    plain = generate(pipeline, "a sks dog in the snow", 0, **OPTIONS)
    processors_before = dict(pipeline.unet.attn_processors)

    with CrossAttentionRecorder(pipeline.unet, [2], (latent, latent)) as recorder:
        recorded = generate(pipeline, "a sks dog in the snow", 0, **OPTIONS)
    heat = recorder.average_map()

    # 3 steps x 4 cross-attention layers (down, mid, 2 x up), each upsampled to
    # the latent grid; with CFG only the conditional half is kept.
    assert recorder.calls == 3 * 4
    assert heat.shape == (latent, latent)
    assert torch.isfinite(heat).all() and heat.min() >= 0 and heat.max() <= 1
    assert np.array_equal(pixels(plain), pixels(recorded))
    assert {k: type(v) for k, v in pipeline.unet.attn_processors.items()} == {
        k: type(v) for k, v in processors_before.items()
    }

    picture = overlay(recorded, heat)
    assert picture.size == recorded.size and picture.mode == "RGB"
