"""The search dock: full-text hits with snippets, filters and paging."""
