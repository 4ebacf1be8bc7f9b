"""The entities dock: the registry as a table, the form editing one entity, and the passages
mentioning it.
"""
