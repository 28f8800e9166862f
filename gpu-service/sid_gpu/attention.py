"""Cross-attention maps of the identifier token (paper Sec. 5, Fig. 7).

The map of a text token shows which pixels it describes. Following the
paper (and prompt-to-prompt), the identifier's map is averaged over all
timesteps, all cross-attention layers and all heads, then laid over the
generated image.

Recording works by wrapping each cross-attention layer's processor: the
wrapper computes softmax(QK^T / sqrt(d)) itself to read the identifier's
column, then calls the original (SDPA) processor for the layer's output. The
output is therefore bit-identical to sampling without recording; the cost is
one extra Q projection and QK^T per cross-attention layer.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from diffusers import UNet2DConditionModel
from PIL import Image


def token_indices(tokenizer: Any, prompt: str, word: str) -> list[int]:
    """Positions of `word`'s token(s) in the tokenized prompt (with BOS at 0),
    as the text encoder sees it. Empty when the prompt lacks the word."""
    ids = tokenizer(prompt, truncation=True, max_length=tokenizer.model_max_length).input_ids
    word_ids = tokenizer(word, add_special_tokens=False).input_ids
    n = len(word_ids)
    found: list[int] = []
    for start in range(len(ids) - n + 1):
        if ids[start : start + n] == word_ids:
            found.extend(range(start, start + n))
    return found


class _RecordingProcessor:
    def __init__(self, inner: Any, recorder: CrossAttentionRecorder):
        self.inner = inner
        self.recorder = recorder

    def __call__(
        self, attn: Any, hidden_states: torch.Tensor, encoder_hidden_states: torch.Tensor | None = None, *args, **kwargs
    ):
        if encoder_hidden_states is not None:
            with torch.no_grad():
                x = hidden_states
                if x.ndim == 4:  # (b, c, h, w) -> (b, hw, c), as the processors do
                    x = x.flatten(2).transpose(1, 2)
                if attn.group_norm is not None:
                    x = attn.group_norm(x.transpose(1, 2)).transpose(1, 2)
                context = encoder_hidden_states
                if attn.norm_cross:
                    context = attn.norm_encoder_hidden_states(context)
                query = attn.head_to_batch_dim(attn.to_q(x))
                key = attn.head_to_batch_dim(attn.to_k(context))
                probs = attn.get_attention_scores(query, key, None)  # (batch*heads, hw, tokens)
                self.recorder.record(probs, attn.heads)
        return self.inner(attn, hidden_states, encoder_hidden_states, *args, **kwargs)


class CrossAttentionRecorder:
    """Context manager that records the identifier's cross-attention in `unet`.

        with CrossAttentionRecorder(unet, indices, latent_size=(64, 64)) as rec:
            image = generate(...)
        heat = rec.average_map()  # (64, 64), one image per generate call

    With classifier-free guidance the UNet sees [unconditional, conditional];
    only the last (conditional) batch entry is recorded, which is the prompt's
    image when one image is generated per call (sampling.generate).
    """

    def __init__(self, unet: UNet2DConditionModel, indices: list[int], latent_size: tuple[int, int]):
        if not indices:
            raise ValueError("no token indices to record")
        self.unet = unet
        self.indices = indices
        self.latent_size = latent_size
        self.reset()

    def reset(self) -> None:
        self._sum = torch.zeros(self.latent_size, dtype=torch.float32)
        self.calls = 0

    def __enter__(self) -> CrossAttentionRecorder:
        self._original = dict(self.unet.attn_processors)
        wrapped = {
            name: _RecordingProcessor(proc, self) if name.endswith("attn2.processor") else proc
            for name, proc in self._original.items()
        }
        self.unet.set_attn_processor(wrapped)
        return self

    def __exit__(self, *exc) -> None:
        # set_attn_processor consumes the dict it is given: pass a copy.
        self.unet.set_attn_processor(dict(self._original))

    def record(self, probs: torch.Tensor, heads: int) -> None:
        # Conditional entry, all heads, the identifier's columns: (heads, hw, n) -> (hw,)
        per_token = probs[-heads:, :, self.indices].float()
        flat = per_token.mean(dim=(0, 2))
        lh, lw = self.latent_size
        # Each UNet level works at its own resolution: recover (h, w) from hw
        # and the latent's aspect ratio, then upsample to the latent size so
        # every layer weighs the same in the average.
        factor = math.sqrt(lh * lw / flat.numel())
        h = round(lh / factor)
        layer_map = flat.reshape(1, 1, h, flat.numel() // h)
        self._sum += F.interpolate(layer_map, size=self.latent_size, mode="bilinear", align_corners=False)[0, 0].cpu()
        self.calls += 1

    def average_map(self) -> torch.Tensor:
        if self.calls == 0:
            raise RuntimeError("no cross-attention was recorded")
        return self._sum / self.calls


def _jet(x: np.ndarray) -> np.ndarray:
    """The 'jet' colormap (blue -> red) for values in [0, 1], as (..., 3) uint8."""
    channels = [np.clip(1.5 - np.abs(4 * x - c), 0, 1) for c in (3, 2, 1)]
    return (np.stack(channels, axis=-1) * 255).astype(np.uint8)


def overlay(image: Image.Image, attention: torch.Tensor, alpha: float = 0.5) -> Image.Image:
    """The map, min-max normalised and upsampled to the image, as a jet
    heatmap blended over it."""
    a = attention.float()
    a = (a - a.min()) / (a.max() - a.min() + 1e-8)
    a = F.interpolate(a[None, None], size=(image.height, image.width), mode="bilinear", align_corners=False)[0, 0]
    heat = Image.fromarray(_jet(a.numpy()))
    return Image.blend(image.convert("RGB"), heat, alpha)
