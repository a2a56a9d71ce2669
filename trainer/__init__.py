"""TARL trainer service: PyTorch sampling and training behind a small HTTP API."""
