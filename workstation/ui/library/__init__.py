"""The library dock: every document in a windowed table, its filter, and editing a source's
grade in place.
"""
