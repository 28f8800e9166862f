"""Eqs. 1-3 against hand computations, subject segments, CLIP embeddings."""

import math

import numpy as np
import pytest
import torch

from conftest import make_reference
from sid_gpu.errors import ConfigError
from sid_gpu.metrics import (
    ClipEmbedder,
    mean_scores,
    non_subject_disentanglement,
    score_samples,
    subject_alignment,
    text_alignment,
)
from sid_gpu.segmentation import mask_to_array, segments


# Unit vectors in 2-D at known angles: cos between them is cos(angle difference).
def at(*degrees):
    return torch.tensor([[math.cos(math.radians(d)), math.sin(math.radians(d))] for d in degrees])


def test_subject_alignment_is_the_mean_over_all_reference_generated_pairs():
    generated = at(0, 90)
    subject = at(0, 60)
    # pairs: (0,0) cos0=1, (0,60) cos60=0.5, (90,0) cos90=0, (90,60) cos30=sqrt(3)/2
    expected = (1 + 0.5 + 0 + math.sqrt(3) / 2) / 4
    assert subject_alignment(generated, subject) == pytest.approx(expected, abs=1e-6)


def test_non_subject_disentanglement_is_one_minus_the_mean_similarity():
    generated = at(0, 90)
    non_subject = at(180)
    # pairs: (0,180) cos180=-1, (90,180) cos90=0 -> mean -0.5 -> 1 - (-0.5) = 1.5
    assert non_subject_disentanglement(generated, non_subject) == pytest.approx(1.5, abs=1e-6)


def test_text_alignment_pairs_each_image_with_its_own_prompt():
    generated = at(0, 90)
    texts = at(60, 90)
    # own prompts: (0 vs 60) = 0.5 and (90 vs 90) = 1 -> 0.75
    # (all pairs would add (0 vs 90) = 0 and (90 vs 60) = sqrt(3)/2: 0.59, not this)
    assert text_alignment(generated, texts) == pytest.approx(0.75, abs=1e-6)


def test_vectors_are_normalised_before_comparing():
    generated = torch.tensor([[3.0, 0.0]])  # length 3, same direction as (1, 0)
    subject = torch.tensor([[0.0, 0.5], [2.0, 0.0]])
    # cos = 0 and 1 -> 0.5
    assert subject_alignment(generated, subject) == pytest.approx(0.5, abs=1e-6)


def test_per_sample_scores_average_to_the_run_measures():
    generated, texts = at(0, 90, 45), at(0, 0, 0)
    subject, other = at(0, 60), at(180)
    scores = score_samples(generated, texts, subject, other)
    run = mean_scores(scores)
    assert run.subject_alignment == pytest.approx(subject_alignment(generated, subject), abs=1e-6)
    assert run.non_subject_disentanglement == pytest.approx(non_subject_disentanglement(generated, other), abs=1e-6)
    assert run.text_alignment == pytest.approx(text_alignment(generated, texts), abs=1e-6)
    # Without segments only text alignment exists.
    none = mean_scores(score_samples(generated, texts, None, None))
    assert none.subject_alignment is None and none.non_subject_disentanglement is None


def test_segments_center_the_subject_and_black_out_the_rest():
    image, mask_image = make_reference(0)
    mask = mask_to_array(mask_image, image.size)
    subject, other = segments(image, mask)
    assert subject.size == (48, 48)  # a square at the image's larger side
    s = np.asarray(subject)
    # The 20x16 (h x w) subject box fills the square's height, centered horizontally.
    assert s[24, 24].tolist() == [230, 200, 40]
    assert s[24, 2].tolist() == [0, 0, 0]
    o = np.asarray(other)
    assert o[mask].max() == 0 and o.shape == (48, 40, 3)
    with pytest.raises(ConfigError):
        segments(image, np.zeros_like(mask))


def test_clip_embedder_returns_unit_vectors(clip_path):
    embedder = ClipEmbedder(clip_path, torch.device("cpu"))
    images = embedder.images([make_reference(i)[0] for i in range(3)])
    texts = embedder.texts(["a dog in the snow", "a dog"])
    assert images.shape == (3, 16) and texts.shape == (2, 16)
    assert torch.allclose(images.norm(dim=-1), torch.ones(3), atol=1e-5)
    assert torch.allclose(texts.norm(dim=-1), torch.ones(2), atol=1e-5)
