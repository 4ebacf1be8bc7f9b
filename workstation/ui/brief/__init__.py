"""The brief composer: the form, a live PDF preview, and export."""
