"""The window around everything: startup, the main window, menus and the action registry,
window state, the read-only banner, prompts, help, and the workbench (session, undo stack,
change notifications).
"""
