"""The episode editor dock: title, bottom line, outlook, marking, and the ordered key
judgments.
"""
