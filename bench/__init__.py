"""The national-scale benchmark: `make bench` (python -m bench.run). See docs/scaling.md."""
