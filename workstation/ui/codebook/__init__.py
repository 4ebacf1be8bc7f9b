"""The codebook editor: categories, their colours, keys and order."""
