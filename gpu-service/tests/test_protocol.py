"""The pydantic models accept the documented messages and reject bad ones."""

import copy

import pytest
from pydantic import ValidationError

from conftest import make_payload
from sid_gpu.protocol import (
    ClaimRequest,
    ClaimResponse,
    CompleteRequest,
    FailRequest,
    HeartbeatRequest,
    HeartbeatResponse,
    RunPayload,
)

LEASE = "2b7e1516-28ae-4d2a-a6f7-0c2f2b2f2f2f"
SHA = "a" * 64


def test_valid_payload_parses():
    payload = RunPayload.model_validate(make_payload())
    assert payload.subject.identifier == "sks"
    assert len(payload.reference_images) == 3
    assert payload.reference_images[0].caption.startswith("a sks dog")


def mutate(path: str, value):
    payload = make_payload()
    target = payload
    *parents, last = path.split(".")
    for key in parents:
        target = target[int(key)] if key.isdigit() else target[key]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return payload


@pytest.mark.parametrize(
    "path, value, message",
    [
        ("surprise", 1, "Extra inputs are not permitted"),
        ("training.surprise", 1, "Extra inputs are not permitted"),
        ("method", "dalle", "'custom_diffusion', 'svdiff' or 'lora'"),
        ("method", "lora", "method 'lora' needs training.lora_rank"),
        ("training.lora_rank", 4, "method 'dreambooth' must not carry training.lora_rank"),
        ("training.gradient_accumulation_steps", 0, "greater than or equal to 1"),
        ("description_case", 5, "Input should be 1, 2, 3 or 4"),
        ("training.steps", 0, "greater than or equal to 1"),
        ("training.learning_rate", -1, "greater than 0"),
        ("training.mixed_precision", "fp8", "'no', 'fp16' or 'bf16'"),
        ("training.resolution", 500, "multiple of 8"),
        ("training.num_class_images", 0, "prior_preservation needs"),
        ("training.model", KeyError, "Field required"),
        ("reference_images", [], "at least 1 item"),
        ("reference_images.0.sha256", "xyz", "should match pattern"),
        ("reference_images.0.caption", "a dog on a couch", "does not contain the identifier 'sks'"),
        ("sampling.seeds", [1, 1], "seeds must be unique"),
        ("sampling.prompts", [{"prompt": "a sks dog", "prompt_without_identifier": "a sks dog"}], "still contains"),
        ("metrics.segmentation", "magic", "'uploaded_masks', 'grounded_sam' or 'none'"),
        ("reference_images.1.mask_sha256", None, "have no mask_sha256"),
        ("subject.identifier", "two words", "should match pattern"),
        ("run_id", "not-a-uuid", "valid UUID"),
    ],
)
def test_invalid_payload_is_rejected_with_a_clear_error(path, value, message):
    with pytest.raises(ValidationError) as info:
        RunPayload.model_validate(mutate(path, value))
    assert message in str(info.value)


def test_masks_are_optional_without_uploaded_mask_segmentation():
    payload = mutate("reference_images.1.mask_sha256", None)
    payload["metrics"]["segmentation"] = "none"
    assert RunPayload.model_validate(payload).reference_images[1].mask_sha256 is None


def test_claim_and_heartbeat_messages():
    with pytest.raises(ValidationError):
        ClaimRequest(worker_name="w", kinds=["dreambooth_run"], wait_seconds=31)
    with pytest.raises(ValidationError):
        ClaimRequest(worker_name="w", kinds=["render_video"], wait_seconds=1)
    job = ClaimResponse.model_validate(
        {
            "job": {
                "id": LEASE,
                "kind": "dreambooth_run",
                "lease_id": LEASE,
                "lease_seconds": 120,
                "attempt": 1,
                "payload": {"anything": "is checked later"},
            }
        }
    ).job
    assert job.lease_seconds == 120
    with pytest.raises(ValidationError):
        HeartbeatRequest(lease_id=LEASE, stage="training", progress=1.5, message="")
    with pytest.raises(ValidationError):
        HeartbeatRequest(lease_id=LEASE, stage="resting", progress=0.5, message="")
    with pytest.raises(ValidationError, match="Field required"):
        HeartbeatResponse.model_validate({"cancel": False})
    answer = HeartbeatResponse.model_validate({"cancel": True, "lease_expires_at": "2030-01-01T00:00:00Z"})
    assert answer.cancel


COMPLETE = {
    "lease_id": LEASE,
    "samples": [
        {
            "prompt": "a sks dog",
            "seed": 0,
            "sha256": SHA,
            "attention_map_sha256": None,
            "metrics": {"subject_alignment": 0.8, "non_subject_disentanglement": 0.3, "text_alignment": 0.29},
        }
    ],
    "run_metrics": {"subject_alignment": None, "non_subject_disentanglement": None, "text_alignment": 0.3},
    "training": {"steps": 2, "final_loss": 0.1, "seconds": 1.0, "losses": [0.2, 0.1]},
    "sampling": {"seconds": 1.0, "images": 1},
}


def test_complete_body_validates_and_rejects_non_finite_numbers():
    CompleteRequest.model_validate(COMPLETE)
    bad = copy.deepcopy(COMPLETE)
    bad["training"]["losses"] = [float("nan")]
    with pytest.raises(ValidationError, match="finite number"):
        CompleteRequest.model_validate(bad)
    bad = copy.deepcopy(COMPLETE)
    bad["samples"][0]["sha256"] = SHA.upper()
    with pytest.raises(ValidationError):
        CompleteRequest.model_validate(bad)


def test_fail_clips_long_errors():
    body = FailRequest(lease_id=LEASE, error="x" * 10_000, retryable=True, cancelled=False)
    assert len(body.error) <= 4000 and "..." in body.error
