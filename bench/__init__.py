"""The performance benchmark (docs/architecture.md, Performance budget): ``python -m bench.run``."""
