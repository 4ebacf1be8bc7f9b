"""Review queues worked from the keyboard: suggested mentions, and orphaned passages."""
