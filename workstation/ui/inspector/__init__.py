"""The inspector dock: the selected passage's category, note, releasability and linked
entities.
"""
