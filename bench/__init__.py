"""The performance benchmark (DESIGN.md, "Performance budget"): ``python -m bench.run``."""
