"""The paper's three measures (Sec. 6, Eqs. 1-3; Appendix A), on CLIP ViT-B/32.

With E_I, E_T the CLIP image and text encoders followed by unit-norm
normalisation, reference images r in R, generated images g in G and
S(r) / N(r) the subject / non-subject segment of r:

    subject alignment            = mean over (r, g) of cos(E_I(g), E_I(S(r)))          (1)
    non-subject disentanglement  = 1 - mean over (r, g) of cos(E_I(g), E_I(N(r)))      (2)
    text alignment               = mean over g of cos(E_I(g), E_T(prompt without [v])) (3)

The measures are pure functions of embedding matrices (so they can be checked
against a hand computation); `ClipEmbedder` produces the embeddings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F
from PIL import Image
from transformers import CLIPModel, CLIPProcessor


def _unit(x: torch.Tensor) -> torch.Tensor:
    return F.normalize(x.float(), dim=-1)


def mean_pairwise_cosine(a: torch.Tensor, b: torch.Tensor) -> float:
    """Mean of cos(a_i, b_j) over every pair (i, j); a: (n, d), b: (m, d)."""
    return (_unit(a) @ _unit(b).T).mean().item()


def subject_alignment(generated: torch.Tensor, subject_segments: torch.Tensor) -> float:
    """Eq. 1: generated (G, d) against subject segments of the references (R, d)."""
    return mean_pairwise_cosine(generated, subject_segments)


def non_subject_disentanglement(generated: torch.Tensor, non_subject_segments: torch.Tensor) -> float:
    """Eq. 2: one minus the similarity to what surrounds the subject."""
    return 1.0 - mean_pairwise_cosine(generated, non_subject_segments)


def text_alignment(generated: torch.Tensor, texts: torch.Tensor) -> float:
    """Eq. 3: generated (G, d) against the embedding of each one's own prompt
    (G, d), row by row (not all pairs)."""
    return (_unit(generated) * _unit(texts)).sum(dim=-1).mean().item()


@dataclass
class SampleScores:
    subject_alignment: float | None
    non_subject_disentanglement: float | None
    text_alignment: float


def score_samples(
    generated: torch.Tensor,
    texts: torch.Tensor,
    subject_segments: torch.Tensor | None,
    non_subject_segments: torch.Tensor | None,
) -> list[SampleScores]:
    """Per-sample scores: each generated image against all reference segments
    and its own prompt. Their mean over samples equals Eqs. 1-3 over the run,
    since every sample is paired with the same references."""
    scores = []
    for i in range(len(generated)):
        g = generated[i : i + 1]
        scores.append(
            SampleScores(
                subject_alignment=None if subject_segments is None else subject_alignment(g, subject_segments),
                non_subject_disentanglement=None
                if non_subject_segments is None
                else non_subject_disentanglement(g, non_subject_segments),
                text_alignment=text_alignment(g, texts[i : i + 1]),
            )
        )
    return scores


def mean_scores(scores: list[SampleScores]) -> SampleScores:
    def mean(values: list[float | None]) -> float | None:
        return None if not values or values[0] is None else sum(values) / len(values)

    return SampleScores(
        subject_alignment=mean([s.subject_alignment for s in scores]),
        non_subject_disentanglement=mean([s.non_subject_disentanglement for s in scores]),
        text_alignment=mean([s.text_alignment for s in scores]),
    )


class ClipEmbedder:
    """Unit-normalised CLIP embeddings from a local model folder."""

    def __init__(self, model_path: str | Path, device: torch.device):
        self.device = device
        self.model = CLIPModel.from_pretrained(model_path, local_files_only=True).to(device).eval()
        self.processor = CLIPProcessor.from_pretrained(model_path, local_files_only=True)

    @staticmethod
    def _features(out: torch.Tensor | object) -> torch.Tensor:
        # transformers 5 returns an output object whose pooler_output holds the
        # projected features; 4.x returned the tensor itself.
        return out if isinstance(out, torch.Tensor) else out.pooler_output

    @torch.no_grad()
    def images(self, images: list[Image.Image], batch_size: int = 32) -> torch.Tensor:
        chunks = []
        for start in range(0, len(images), batch_size):
            batch = [im.convert("RGB") for im in images[start : start + batch_size]]
            inputs = self.processor(images=batch, return_tensors="pt").to(self.device)
            chunks.append(self._features(self.model.get_image_features(pixel_values=inputs["pixel_values"])))
        return _unit(torch.cat(chunks)).cpu()

    @torch.no_grad()
    def texts(self, texts: list[str]) -> torch.Tensor:
        inputs = self.processor(text=texts, padding=True, truncation=True, return_tensors="pt").to(self.device)
        out = self.model.get_text_features(input_ids=inputs["input_ids"], attention_mask=inputs["attention_mask"])
        return _unit(self._features(out)).cpu()
