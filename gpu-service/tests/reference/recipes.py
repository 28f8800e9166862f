"""Training steps the way diffusers' example scripts take them.

Each `*_steps` function loads fresh components from a model folder with the library's
own `from_pretrained`, sets them up as its script does, and takes one
optimizer step per entry of `steps` on given inputs: the clean latents,
noise, timesteps and captions of each micro-batch (the VAE is frozen and outside the update, so
the steps start from latents). It returns the losses and the trained modules.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import torch
import torch.nn.functional as F
from diffusers import DDPMScheduler, UNet2DConditionModel
from diffusers.models.attention_processor import CustomDiffusionAttnProcessor2_0
from peft import LoraConfig
from transformers import CLIPTextModel, CLIPTokenizer

ADAM = dict(betas=(0.9, 0.999), weight_decay=1e-2, eps=1e-8)  # every script's --adam_* defaults


@dataclass
class MicroBatch:
    latents: torch.Tensor
    noise: torch.Tensor
    timesteps: torch.Tensor
    captions: list[str]


@dataclass
class Models:
    unet: UNet2DConditionModel
    text_encoder: CLIPTextModel
    tokenizer: CLIPTokenizer
    noise_scheduler: DDPMScheduler


def load(path: Path) -> Models:
    return Models(
        UNet2DConditionModel.from_pretrained(path, subfolder="unet"),
        CLIPTextModel.from_pretrained(path, subfolder="text_encoder"),
        CLIPTokenizer.from_pretrained(path, subfolder="tokenizer"),
        DDPMScheduler.from_pretrained(path, subfolder="scheduler"),
    )


def _text_module(text_encoder: CLIPTextModel):
    # transformers 5 flattened CLIPTextModel.text_model, as the CD script allows
    return text_encoder.text_model if hasattr(text_encoder, "text_model") else text_encoder


def _loss(m: Models, batch: MicroBatch, with_prior: bool, prior_loss_weight: float, masked: bool = False):
    # tokenize_prompt + encode_prompt of train_dreambooth.py (no attention mask)
    input_ids = m.tokenizer(
        batch.captions,
        truncation=True,
        padding="max_length",
        max_length=m.tokenizer.model_max_length,
        return_tensors="pt",
    ).input_ids
    encoder_hidden_states = m.text_encoder(input_ids)[0]
    noisy = m.noise_scheduler.add_noise(batch.latents, batch.noise, batch.timesteps)
    model_pred = m.unet(noisy, batch.timesteps, encoder_hidden_states, return_dict=False)[0]
    target = batch.noise  # epsilon prediction (SD 2.1-base)
    if with_prior:
        model_pred, model_pred_prior = torch.chunk(model_pred, 2, dim=0)
        target, target_prior = torch.chunk(target, 2, dim=0)
    if masked:
        # train_custom_diffusion.py: the valid-region mask (all ones for a
        # center crop without rescaling augmentation)
        mask = torch.ones_like(target[:, :1])
        loss = F.mse_loss(model_pred.float(), target.float(), reduction="none")
        loss = ((loss * mask).sum([1, 2, 3]) / mask.sum([1, 2, 3])).mean()
    else:
        loss = F.mse_loss(model_pred.float(), target.float(), reduction="mean")
    if with_prior:
        loss = loss + prior_loss_weight * F.mse_loss(model_pred_prior.float(), target_prior.float(), reduction="mean")
    return loss


def _train(
    m: Models,
    steps: list[list[MicroBatch]],
    optimizer: torch.optim.Optimizer,
    clip: Callable[[], None] | None,
    *,
    with_prior: bool = False,
    prior_loss_weight: float = 1.0,
    masked: bool = False,
    after_backward: Callable[[], None] | None = None,
    after_update: Callable[[], None] | None = None,
) -> list[float]:
    """One optimizer step per entry of `steps`, each over its micro-batches with
    accelerate's gradient accumulation (each loss / n, one update at the end).
    Returns each step's mean loss."""
    losses = []
    for batches in steps:
        total = 0.0
        for batch in batches:
            loss = _loss(m, batch, with_prior, prior_loss_weight, masked)
            (loss / len(batches)).backward()
            total += loss.item() / len(batches)
        if after_backward is not None:
            after_backward()
        if clip is not None:
            clip()
        optimizer.step()
        optimizer.zero_grad()
        if after_update is not None:
            after_update()
        losses.append(total)
    return losses


def dreambooth_steps(
    path: Path, steps: list[list[MicroBatch]], lr: float, prior_loss_weight: float
) -> tuple[list[float], Models]:
    """train_dreambooth.py --train_text_encoder --with_prior_preservation."""
    m = load(path)
    m.unet.train()
    m.text_encoder.train()
    params = list(itertools.chain(m.unet.parameters(), m.text_encoder.parameters()))
    optimizer = torch.optim.AdamW(params, lr=lr, **ADAM)
    clip = partial(torch.nn.utils.clip_grad_norm_, params, 1.0)
    return _train(m, steps, optimizer, clip, with_prior=True, prior_loss_weight=prior_loss_weight), m


def textual_inversion_steps(
    path: Path, steps: list[list[MicroBatch]], lr: float, placeholder: str, initializer: str, batch_size: int
) -> tuple[list[float], Models]:
    """textual_inversion.py --scale_lr (one process), num_vectors 1."""
    m = load(path)
    m.tokenizer.add_tokens([placeholder])
    (initializer_token_id,) = m.tokenizer.encode(initializer, add_special_tokens=False)
    placeholder_token_id = m.tokenizer.convert_tokens_to_ids(placeholder)
    m.text_encoder.resize_token_embeddings(len(m.tokenizer))
    token_embeds = m.text_encoder.get_input_embeddings().weight.data
    with torch.no_grad():
        token_embeds[placeholder_token_id] = token_embeds[initializer_token_id].clone()
    m.unet.requires_grad_(False)
    text_module = _text_module(m.text_encoder)
    text_module.encoder.requires_grad_(False)
    text_module.final_layer_norm.requires_grad_(False)
    text_module.embeddings.position_embedding.requires_grad_(False)
    m.text_encoder.train()
    scaled_lr = lr * len(steps[0]) * batch_size  # x accumulation x batch
    optimizer = torch.optim.AdamW(m.text_encoder.get_input_embeddings().parameters(), lr=scaled_lr, **ADAM)
    orig_embeds_params = m.text_encoder.get_input_embeddings().weight.data.clone()

    def keep_other_rows() -> None:
        index_no_updates = torch.ones((len(m.tokenizer),), dtype=torch.bool)
        index_no_updates[placeholder_token_id] = False
        with torch.no_grad():
            m.text_encoder.get_input_embeddings().weight[index_no_updates] = orig_embeds_params[index_no_updates]

    # The script has no gradient clipping.
    return _train(m, steps, optimizer, None, after_update=keep_other_rows), m


def custom_diffusion_steps(
    path: Path,
    steps: list[list[MicroBatch]],
    lr: float,
    modifier_token: str,
    initial_row: torch.Tensor,
    batch_size: int,
) -> tuple[list[float], Models]:
    """train_custom_diffusion.py --freeze_model crossattn_kv --modifier_token
    --with_prior_preservation --scale_lr. `initial_row` stands in for the
    script's --initializer_token embedding."""
    m = load(path)
    m.tokenizer.add_tokens(modifier_token)
    modifier_token_id = m.tokenizer.convert_tokens_to_ids(modifier_token)
    m.text_encoder.resize_token_embeddings(len(m.tokenizer))
    with torch.no_grad():
        m.text_encoder.get_input_embeddings().weight.data[modifier_token_id] = initial_row
    text_module = _text_module(m.text_encoder)
    for p in itertools.chain(
        text_module.encoder.parameters(),
        text_module.final_layer_norm.parameters(),
        text_module.embeddings.position_embedding.parameters(),
    ):
        p.requires_grad = False
    m.unet.requires_grad_(False)

    procs, st = {}, m.unet.state_dict()
    for name in m.unet.attn_processors:
        cross_attention_dim = None if name.endswith("attn1.processor") else m.unet.config.cross_attention_dim
        if name.startswith("mid_block"):
            hidden_size = m.unet.config.block_out_channels[-1]
        elif name.startswith("up_blocks"):
            hidden_size = list(reversed(m.unet.config.block_out_channels))[int(name[len("up_blocks.")])]
        else:
            hidden_size = m.unet.config.block_out_channels[int(name[len("down_blocks.")])]
        layer = name.split(".processor")[0]
        if cross_attention_dim is not None:
            procs[name] = CustomDiffusionAttnProcessor2_0(
                train_kv=True, train_q_out=False, hidden_size=hidden_size, cross_attention_dim=cross_attention_dim
            )
            procs[name].load_state_dict(
                {
                    "to_k_custom_diffusion.weight": st[layer + ".to_k.weight"],
                    "to_v_custom_diffusion.weight": st[layer + ".to_v.weight"],
                }
            )
        else:
            procs[name] = CustomDiffusionAttnProcessor2_0(
                train_kv=False, train_q_out=False, hidden_size=hidden_size, cross_attention_dim=None
            )
    m.unet.set_attn_processor(procs)
    layers = torch.nn.ModuleList([p for p in m.unet.attn_processors.values() if isinstance(p, torch.nn.Module)])
    m.unet.train()
    m.text_encoder.train()

    scaled_lr = lr * len(steps[0]) * batch_size * 2.0  # x2 with prior preservation
    optimizer = torch.optim.AdamW(
        itertools.chain(m.text_encoder.get_input_embeddings().parameters(), layers.parameters()), lr=scaled_lr, **ADAM
    )

    def zero_other_rows() -> None:
        grads = m.text_encoder.get_input_embeddings().weight.grad
        index_grads_to_zero = torch.arange(len(m.tokenizer)) != modifier_token_id
        grads.data[index_grads_to_zero, :] = grads.data[index_grads_to_zero, :].fill_(0)

    def clip() -> None:
        torch.nn.utils.clip_grad_norm_(itertools.chain(m.text_encoder.parameters(), layers.parameters()), 1.0)

    return _train(m, steps, optimizer, clip, with_prior=True, masked=True, after_backward=zero_other_rows), m


def lora_steps(
    path: Path, steps: list[list[MicroBatch]], lr: float, rank: int, seed: int
) -> tuple[list[float], Models]:
    """train_dreambooth_lora.py (UNet LoRA, no prior preservation)."""
    m = load(path)
    m.unet.requires_grad_(False)
    m.text_encoder.requires_grad_(False)
    torch.manual_seed(seed)  # the Gaussian init of lora_A draws from the global generator
    m.unet.add_adapter(
        LoraConfig(
            r=rank,
            lora_alpha=rank,
            init_lora_weights="gaussian",
            target_modules=["to_k", "to_q", "to_v", "to_out.0", "add_k_proj", "add_v_proj"],
        )
    )
    m.unet.train()
    params = list(filter(lambda p: p.requires_grad, m.unet.parameters()))
    optimizer = torch.optim.AdamW(params, lr=lr, **ADAM)
    clip = partial(torch.nn.utils.clip_grad_norm_, params, 1.0)
    return _train(m, steps, optimizer, clip), m


def svdiff_linear(weight: torch.Tensor, delta: torch.Tensor) -> torch.Tensor:
    """svdiff-pytorch's SVDLinear/SVDConv2d weight: U @ diag(ReLU(S + delta)) @ Vh
    of the (out, in*kh*kw) matrix, reshaped back."""
    u, s, vh = torch.linalg.svd(weight.reshape(weight.shape[0], -1), full_matrices=False)
    return (u @ torch.diag(F.relu(s + delta)) @ vh).reshape(weight.shape)
