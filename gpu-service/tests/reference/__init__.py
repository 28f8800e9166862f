"""Reference computations for the equivalence tests, kept apart from sid_gpu.

Written from diffusers' own classes and the recipes of its published
training scripts (examples/dreambooth/train_dreambooth.py,
examples/textual_inversion/textual_inversion.py,
examples/custom_diffusion/train_custom_diffusion.py,
examples/dreambooth/train_dreambooth_lora.py), and for SVDiff from
svdiff-pytorch's layers. Nothing here imports sid_gpu.
"""
