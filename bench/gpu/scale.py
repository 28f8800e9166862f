"""Peak memory per phase, and FLOPs of the real architecture for scaling.

FLOPs are counted by running stable-diffusion-2-1-base's own modules (built
from sid_gpu.sd21_base's published configurations) on the `meta` device
under torch's FlopCounterMode: no memory, no arithmetic, exact counts. They
turn a measurement on a reduced model (CPU) into an estimate for the full
one: time at paper size ~ measured time x FLOPs(paper) / FLOPs(measured).
"""

from __future__ import annotations

import resource
from functools import cache
from pathlib import Path

import torch
from torch.utils.flop_counter import FlopCounterMode

from sid_gpu import sd21_base

LATENT_FACTOR = 8  # the VAE downsamples 8x: 512 px -> 64x64 latents


class PeakMemory:
    """GPU: the allocator's peak since `reset`. CPU: the process's peak
    resident set since `reset` (Linux resets it through /proc/self/clear_refs;
    elsewhere it is the peak since the process started)."""

    def __init__(self, device: torch.device):
        self.device = device
        self.what = "GPU max allocated" if device.type == "cuda" else "process peak RSS"

    def reset(self) -> None:
        if self.device.type == "cuda":
            torch.cuda.reset_peak_memory_stats(self.device)
            return
        try:
            Path("/proc/self/clear_refs").write_text("5")
        except OSError:
            pass

    def peak_gib(self) -> float:
        if self.device.type == "cuda":
            return torch.cuda.max_memory_allocated(self.device) / 2**30
        try:
            for line in Path("/proc/self/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024 / 2**30
        except OSError:
            pass
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 2**30


def _count(fn) -> int:
    with FlopCounterMode(display=False) as counter:
        fn()
    return counter.get_total_flops()


@cache
def _modules(width: float):
    with torch.device("meta"):
        return sd21_base.build_unet(width), sd21_base.build_text_encoder(width), sd21_base.build_vae(width)


@cache
def training_flops(width: float, resolution: int, batch: int = 2) -> int:
    """One DreamBooth step with prior preservation (instance + class image):
    UNet and text encoder forward and backward."""
    unet, text, _ = _modules(width)
    side = resolution // LATENT_FACTOR
    with torch.device("meta"):
        x = torch.randn(batch, 4, side, side)
        ids = torch.zeros(batch, 77, dtype=torch.long)
        t = torch.zeros(batch, dtype=torch.long)
        return _count(lambda: unet(x, t, text(ids)[0]).sample.sum().backward())


@cache
def sampling_flops(width: float, resolution: int, steps: int) -> int:
    """One image with classifier-free guidance: the prompt and the empty
    prompt encoded, `steps` UNet calls on a batch of 2, one VAE decode."""
    unet, text, vae = _modules(width)
    side = resolution // LATENT_FACTOR
    with torch.device("meta"), torch.no_grad():
        ids = torch.zeros(2, 77, dtype=torch.long)
        x = torch.randn(2, 4, side, side)
        t = torch.zeros(2, dtype=torch.long)
        h = torch.randn(2, 77, unet.config.cross_attention_dim)
        encode = _count(lambda: text(ids))
        step = _count(lambda: unet(x, t, h))
        decode = _count(lambda: vae.decode(x[:1]))
    return encode + steps * step + decode
