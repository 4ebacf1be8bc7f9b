"""Helpers of ``bench/gui_stall_bench.py``: the stall probe, the layout adapter, the setup."""
