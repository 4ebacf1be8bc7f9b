"""Work crossing the workspace's edge: importing files, exporting, importing annotations,
merging a colleague's workspace and reviewing conflicts, checking the workspace, backups and
restore.
"""
