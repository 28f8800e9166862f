"""Training recipes, one module per method (as in diffusers' examples).

Each recipe module exposes `train(...) -> TrainResult`; jobs.py maps the
payload's `method` field to it. `loop.py` is the denoising loop they share,
`common.py` their data, precision and optimizer helpers.
"""
