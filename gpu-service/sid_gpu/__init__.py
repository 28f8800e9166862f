"""SID Studio GPU worker: trains and samples personalized text-to-image models."""

__version__ = "0.1.0"
