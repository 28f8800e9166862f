"""Subject / non-subject segments of a reference image (paper Sec. 6, App. A).

A mask marks the subject's pixels. It comes either uploaded with the
reference image (segmentation="uploaded_masks") or from Grounded-SAM
conditioned on the class noun (segmentation="grounded_sam"), as in the paper:
GroundingDINO finds the subject's box, SAM segments inside it.

The subject segment is the subject alone on black, cropped to its bounding
box, centered on a square and resized to the image's size: Appendix A
center-aligns and resizes subject segments before CLIP, so that subject
alignment compares the subject, not where or how large it was in the frame.
The non-subject segment is the full image with the subject blacked out.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from PIL import Image
from transformers import AutoModelForZeroShotObjectDetection, AutoProcessor, SamModel, SamProcessor

from .errors import ConfigError


def mask_to_array(mask: Image.Image, size: tuple[int, int]) -> np.ndarray:
    """Boolean (h, w) subject mask from an uploaded mask picture: its alpha
    channel when it has one, else its brightness (white = subject)."""
    band = mask.getchannel("A") if "A" in mask.getbands() else mask.convert("L")
    if band.size != size:
        band = band.resize(size, Image.Resampling.NEAREST)
    return np.asarray(band) >= 128


def segments(image: Image.Image, mask: np.ndarray) -> tuple[Image.Image, Image.Image]:
    """(subject segment, non-subject segment) of `image` for a boolean mask."""
    if not mask.any():
        raise ConfigError("a subject mask has no subject pixels")
    pixels = np.asarray(image.convert("RGB"))
    subject = np.where(mask[..., None], pixels, 0).astype(np.uint8)
    non_subject = np.where(mask[..., None], 0, pixels).astype(np.uint8)

    rows, cols = np.nonzero(mask)
    crop = subject[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]
    side = max(crop.shape[:2])
    square = np.zeros((side, side, 3), dtype=np.uint8)
    top, left = (side - crop.shape[0]) // 2, (side - crop.shape[1]) // 2
    square[top : top + crop.shape[0], left : left + crop.shape[1]] = crop
    out_side = max(image.size)
    centered = Image.fromarray(square).resize((out_side, out_side), Image.Resampling.BICUBIC)
    return centered, Image.fromarray(non_subject)


class GroundedSam:
    """Text-prompted segmentation with GroundingDINO + SAM, both through
    transformers, from local model folders."""

    def __init__(
        self,
        detector_path: str | Path,
        sam_path: str | Path,
        device: torch.device,
        box_threshold: float = 0.3,
        text_threshold: float = 0.25,
    ):
        self.device = device
        self.box_threshold, self.text_threshold = box_threshold, text_threshold
        self.det_processor = AutoProcessor.from_pretrained(detector_path, local_files_only=True)
        self.detector = AutoModelForZeroShotObjectDetection.from_pretrained(detector_path, local_files_only=True)
        self.detector.to(device).eval()
        self.sam_processor = SamProcessor.from_pretrained(sam_path, local_files_only=True)
        self.sam = SamModel.from_pretrained(sam_path, local_files_only=True).to(device).eval()

    @torch.no_grad()
    def box(self, image: Image.Image, class_noun: str) -> list[float] | None:
        """The highest-scoring box for the class noun, (x0, y0, x1, y1) in pixels."""
        # GroundingDINO expects lower-case phrases each ending with a period.
        inputs = self.det_processor(images=image, text=f"{class_noun.lower()}.", return_tensors="pt").to(self.device)
        outputs = self.detector(**inputs)
        result = self.det_processor.post_process_grounded_object_detection(
            outputs,
            inputs["input_ids"],
            threshold=self.box_threshold,
            text_threshold=self.text_threshold,
            target_sizes=[(image.height, image.width)],
        )[0]
        if len(result["scores"]) == 0:
            return None
        return result["boxes"][int(result["scores"].argmax())].tolist()

    @torch.no_grad()
    def mask(self, image: Image.Image, class_noun: str) -> np.ndarray | None:
        """Boolean (h, w) mask of the subject, or None when nothing was found."""
        image = image.convert("RGB")
        box = self.box(image, class_noun)
        if box is None:
            return None
        inputs = self.sam_processor(images=image, input_boxes=[[box]], return_tensors="pt").to(self.device)
        outputs = self.sam(**inputs, multimask_output=True)
        masks = self.sam_processor.post_process_masks(
            outputs.pred_masks.cpu(), inputs["original_sizes"].cpu(), inputs["reshaped_input_sizes"].cpu()
        )[0]  # (boxes, candidates, h, w)
        best = int(outputs.iou_scores[0, 0].argmax())
        mask = masks[0, best].numpy().astype(bool)
        return mask if mask.any() else None
