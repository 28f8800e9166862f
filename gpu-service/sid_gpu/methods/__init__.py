"""Training recipes, one module per method (as in diffusers' examples).

Each recipe module (dreambooth, textual_inversion, custom_diffusion, svdiff,
lora) exposes `train(pipeline, spec) -> TrainResult`; jobs.py maps the
payload's `method` field to it. With or without SID is only the captions.
`loop.py` is the denoising loop they share, `common.py` their data,
precision and optimizer helpers.
"""
