"""Worker-side configuration (CLI flags), the same for every job."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import torch


@dataclass
class Settings:
    """Set once from the command line; every job reads it."""

    device: torch.device = field(default_factory=lambda: torch.device("cpu"))
    model_dir: Path | None = None
    cache_dir: Path | None = None  # class images are kept here between runs
    class_image_steps: int = 50
    grounding_model: str = "IDEA-Research/grounding-dino-tiny"  # for segmentation=grounded_sam
    sam_model: str = "facebook/sam-vit-base"
