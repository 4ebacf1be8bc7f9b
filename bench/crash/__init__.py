"""Crash safety under SIGKILL (issue 7): a writer process works a workspace through the real
services, the harness kills it at random moments and checks after every kill that the file is
intact, every acknowledged save is there and no import is half there.

``bench.crash.harness.run_crashes`` is the loop (used by tests/e2e/test_crash_safety.py, 20
kills); ``python -m bench.crash_bench --kills 200`` is the long form with a results table.
"""
