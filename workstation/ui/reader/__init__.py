"""The reader: a document's text with its passages highlighted, the text pane's keys and
clicks, its context menu and actions.
"""
