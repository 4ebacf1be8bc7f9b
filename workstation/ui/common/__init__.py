"""Widgets and helpers shared by several features: control naming, text shortening and colour
swatches, captions, the invisible-character warning, background workers.
"""
